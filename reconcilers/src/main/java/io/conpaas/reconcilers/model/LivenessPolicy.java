package io.conpaas.reconcilers.model;

import io.conpaas.iaas.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What to do with the VM of an Agent that ran (Configuring or Running) when the cloud or the agent
 * says something is wrong. Pure.
 *
 * <p>A stateful agent's VM is never terminated: while it does not answer the Agent waits; when the
 * cloud says the VM failed or is gone the Agent fails and the VM stays for inspection. A stateless
 * agent is replaced when the cloud confirms its VM failed or is gone, or after healthTimeout of
 * silence while the cloud still says it runs, unless its Cloud holds replacements because too many
 * agents went silent at once (then the operator's own network is the likelier culprit).
 */
public final class LivenessPolicy {
  /** The step the Agent reconciler takes. */
  public enum Action {
    /** It answers: nothing to do. */
    KEEP,
    /** It does not answer (yet): report it and look again soon. */
    WAIT,
    /** It would be replaced, but its Cloud holds replacements: report it and look again soon. */
    HOLD,
    /** Release the VM and start a new one with a fresh budget of attempts. */
    REPLACE,
    /** A stateful agent's VM failed or is gone: fail the Agent and leave the VM alone. */
    LOST
  }

  /** The decision, with the Degraded reason and message that explain it (none for KEEP). */
  public record Verdict(Action action, String reason, String message) {}

  /**
   * What one pass saw. vmState is null when the cloud does not list the VM; callError is null
   * when the agent answered (it is only asked while the VM runs); unreachableSince is when the
   * silence began, null if it answered last time.
   */
  public record Observation(boolean stateful, String instanceId, VmState vmState, String stateReason,
      String callError, Instant unreachableSince, Instant now) {}

  private LivenessPolicy() {}

  /** hold names why the Cloud replaces nothing now (see {@link MassUnreachability}), or is empty. */
  public static Verdict decide(Observation o, Duration healthTimeout, Optional<String> hold) {
    String vm = "VM " + o.instanceId();
    VmState state = o.vmState();
    if (state == null || state == VmState.TERMINATING || state == VmState.FAILED) {
      String what = state == null ? "is gone" : state == VmState.TERMINATING ? "is being terminated"
          : "failed" + (o.stateReason() == null || o.stateReason().isBlank() ? "" : " (" + o.stateReason() + ")");
      if (o.stateful()) {
        return new Verdict(Action.LOST, AgentReasons.STATEFUL_VM_LOST, vm + " " + what
            + " and this agent's data was on it; it is not replaced by an empty VM"
            + (state == VmState.FAILED ? " and is left for inspection (the Agent recovers if it runs again)" : "")
            + "; delete this Agent to start an empty one");
      }
      return new Verdict(Action.REPLACE, AgentReasons.REPLACING, vm + " " + what + "; replacing it");
    }
    if (state == VmState.RUNNING && o.callError() == null) {
      return new Verdict(Action.KEEP, null, null);
    }
    String silence = state == VmState.RUNNING ? "the agent on " + vm + " does not answer: " + o.callError()
        : "the cloud reports " + vm + " as " + state;
    Instant since = o.unreachableSince() == null ? o.now() : o.unreachableSince();
    Duration silent = Duration.between(since, o.now());
    // "since" rather than "for how long": the message stays the same from pass to pass, so
    // re-patching a silent agent's status every poll writes nothing new.
    String forHow = " (since " + since + ")";
    if (o.stateful()) {
      return new Verdict(Action.WAIT, AgentReasons.UNREACHABLE, silence + forHow
          + "; this agent is stateful, so its VM is kept and the operator waits for it to answer again");
    }
    if (silent.compareTo(healthTimeout) < 0) {
      return new Verdict(Action.WAIT, AgentReasons.UNREACHABLE, silence + forHow + "; replaced if still silent after "
          + healthTimeout.toSeconds() + "s");
    }
    if (hold.isPresent()) {
      return new Verdict(Action.HOLD, AgentReasons.UNREACHABLE, silence + forHow + "; not replaced: " + hold.get());
    }
    return new Verdict(Action.REPLACE, AgentReasons.REPLACING, silence + " for " + silent.toSeconds()
        + "s while the cloud says the VM runs; replacing it");
  }
}
