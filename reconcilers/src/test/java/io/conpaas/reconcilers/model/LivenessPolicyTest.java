package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.model.LivenessPolicy.Action;
import io.conpaas.reconcilers.model.LivenessPolicy.Observation;
import io.conpaas.reconcilers.model.LivenessPolicy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What happens to a VM that ran when the cloud or its agent says something is wrong. */
class LivenessPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Optional<String> NO_HOLD = Optional.empty();

  private static Observation seen(boolean stateful, VmState state, String callError, Duration silentFor) {
    return new Observation(stateful, "i-1", state, null, callError, silentFor == null ? null : NOW.minus(silentFor),
        NOW);
  }

  @Test
  void anAnsweringAgentOnARunningVmIsKept() {
    assertThat(LivenessPolicy.decide(seen(false, VmState.RUNNING, null, null), TIMEOUT, NO_HOLD).action())
        .isEqualTo(Action.KEEP);
    assertThat(LivenessPolicy.decide(seen(true, VmState.RUNNING, null, Duration.ofHours(1)), TIMEOUT, NO_HOLD)
        .action()).isEqualTo(Action.KEEP);
  }

  @Test
  void aStatefulAgentThatIsSilentIsWaitedForHoweverLong() {
    for (Duration silent : new Duration[] {null, Duration.ofSeconds(5), Duration.ofHours(3)}) {
      Verdict v = LivenessPolicy.decide(seen(true, VmState.RUNNING, "connect timed out", silent), TIMEOUT, NO_HOLD);
      assertThat(v.action()).as("%s", silent).isEqualTo(Action.WAIT);
      assertThat(v.reason()).isEqualTo(AgentReasons.UNREACHABLE);
      assertThat(v.message()).contains("connect timed out").contains("stateful");
    }
    // A VM the cloud says is starting (a reboot) is waited for too.
    assertThat(LivenessPolicy.decide(seen(true, VmState.PENDING, null, Duration.ofHours(1)), TIMEOUT, NO_HOLD)
        .action()).isEqualTo(Action.WAIT);
  }

  @Test
  void aStatefulVmTheCloudReportsFailedOrGoneIsLostNeverReplaced() {
    for (VmState state : new VmState[] {null, VmState.FAILED, VmState.TERMINATING}) {
      Verdict v = LivenessPolicy.decide(new Observation(true, "i-1", state, "stopped by user", null, null, NOW),
          TIMEOUT, NO_HOLD);
      assertThat(v.action()).as("%s", state).isEqualTo(Action.LOST);
      assertThat(v.reason()).isEqualTo(AgentReasons.STATEFUL_VM_LOST);
      assertThat(v.message()).contains("i-1").contains("not replaced");
    }
    Verdict failed = LivenessPolicy.decide(new Observation(true, "i-1", VmState.FAILED, "stopped by user", null,
        null, NOW), TIMEOUT, NO_HOLD);
    assertThat(failed.message()).contains("stopped by user").contains("left for inspection");
  }

  @Test
  void aStatelessVmTheCloudReportsFailedOrGoneIsReplacedAtOnceWithTheCloudsReason() {
    for (VmState state : new VmState[] {null, VmState.FAILED, VmState.TERMINATING}) {
      Verdict v = LivenessPolicy.decide(new Observation(false, "i-1", state, "host crashed", null, null, NOW),
          TIMEOUT, Optional.of("held"));
      assertThat(v.action()).as("%s", state).isEqualTo(Action.REPLACE);
    }
    assertThat(LivenessPolicy.decide(new Observation(false, "i-1", VmState.FAILED, "host crashed", null, null, NOW),
        TIMEOUT, NO_HOLD).message()).contains("host crashed");
  }

  @Test
  void aSilentStatelessAgentOnARunningVmIsReplacedOnlyAfterTheTimeout() {
    assertThat(LivenessPolicy.decide(seen(false, VmState.RUNNING, "refused", null), TIMEOUT, NO_HOLD).action())
        .isEqualTo(Action.WAIT);
    assertThat(LivenessPolicy.decide(seen(false, VmState.RUNNING, "refused", Duration.ofSeconds(119)), TIMEOUT,
        NO_HOLD).action()).isEqualTo(Action.WAIT);
    Verdict late = LivenessPolicy.decide(seen(false, VmState.RUNNING, "refused", Duration.ofSeconds(120)), TIMEOUT,
        NO_HOLD);
    assertThat(late.action()).isEqualTo(Action.REPLACE);
    assertThat(late.message()).contains("refused").contains("120s");
  }

  @Test
  void aCloudThatHoldsReplacementsKeepsTheSilentAgentAndSaysWhy() {
    Verdict v = LivenessPolicy.decide(seen(false, VmState.RUNNING, "timed out", Duration.ofMinutes(10)), TIMEOUT,
        Optional.of("4 of 5 agents on Cloud c stopped answering"));
    assertThat(v.action()).isEqualTo(Action.HOLD);
    assertThat(v.reason()).isEqualTo(AgentReasons.UNREACHABLE);
    assertThat(v.message()).contains("not replaced").contains("4 of 5");
  }

  @Test
  void aStoppedOrUnknownVmIsNotTakenForDead() {
    // EC2 stopped, OpenNebula POWEROFF or UNKNOWN (a monitoring blip): the disks are still there.
    Verdict stateful = LivenessPolicy.decide(seen(true, VmState.STOPPED, null, Duration.ofHours(3)), TIMEOUT, NO_HOLD);
    assertThat(stateful.action()).isEqualTo(Action.WAIT);
    assertThat(stateful.message()).contains("the cloud reports VM i-1 as STOPPED").contains("stateful");
    assertThat(LivenessPolicy.decide(seen(false, VmState.STOPPED, null, Duration.ofSeconds(30)), TIMEOUT, NO_HOLD)
        .action()).isEqualTo(Action.WAIT);
    assertThat(LivenessPolicy.decide(seen(false, VmState.STOPPED, null, Duration.ofMinutes(3)), TIMEOUT, NO_HOLD)
        .action()).isEqualTo(Action.REPLACE);
  }
}
