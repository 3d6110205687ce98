package io.conpaas.reconcilers.model;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.api.v1alpha1.AbstractRoleSpec;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.RoleStatus;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a service's whole status, in one place, from what the reconciler observed: the
 * service, its Agents, the Agents it wants, and the problems that block it. Pure.
 */
public final class ServiceStatusBuilder {
  private ServiceStatusBuilder() {}

  public static ServiceStatus build(ServiceResource<?> service, String scaleRole,
      Collection<Agent> existing, List<Agent> desired, List<String> problems, Instant now) {
    return build(service, scaleRole, existing, desired, problems, a -> true, now);
  }

  /** The same, where kindReady says what else the kind requires of a ready agent. */
  public static ServiceStatus build(ServiceResource<?> service, String scaleRole,
      Collection<Agent> existing, List<Agent> desired, List<String> problems,
      java.util.function.Predicate<Agent> kindReady, Instant now) {
    return build(service, scaleRole, existing, desired, problems, kindReady, null, now);
  }

  /** The same, for a service held stopped (held not null, e.g. credits exhausted) though the user did not stop it. */
  public static ServiceStatus build(ServiceResource<?> service, String scaleRole,
      Collection<Agent> existing, List<Agent> desired, List<String> problems,
      java.util.function.Predicate<Agent> kindReady, StopCause held, Instant now) {
    return build(service, scaleRole, existing, desired, problems, kindReady, held, null, now);
  }

  /**
   * The same, where growthHeld (not null) says why the Agents still missing are not created (e.g. no
   * credit left): the service then waits, with that reason, like one waiting for a full Cloud.
   */
  public static ServiceStatus build(ServiceResource<?> service, String scaleRole,
      Collection<Agent> existing, List<Agent> desired, List<String> problems,
      java.util.function.Predicate<Agent> kindReady, StopCause held, StopCause growthHeld, Instant now) {
    ServiceStatus previous = service.getStatus();
    ServiceState previousState = previous == null ? null : previous.getState();
    Set<String> desiredNames = desired.stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
    // Ready against the configuration wanted now, not the one the cached Agent spec still shows.
    Map<String, String> wantedHash = desired.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(),
        a -> ConfigHash.of(a.getSpec().getConfig()), (x, y) -> x));

    ServiceStatus status = new ServiceStatus();
    List<RoleStatus> roles = new ArrayList<>();
    int totalDesired = 0;
    int totalReady = 0;
    for (Map.Entry<String, AbstractRoleSpec> e : service.getSpec().roles().entrySet()) {
      String role = e.getKey();
      int want = (int) desired.stream().filter(a -> role.equals(a.getSpec().getRole())).count();
      int ready = (int) existing.stream()
          .filter(a -> a.getSpec() != null && role.equals(a.getSpec().getRole()))
          .filter(a -> desiredNames.contains(a.getMetadata().getName()))
          .filter(ServiceStatusBuilder::isReady)
          .filter(a -> Objects.equals(a.getStatus().getAppliedConfigHash(), wantedHash.get(a.getMetadata().getName())))
          .filter(kindReady)
          .count();
      roles.add(new RoleStatus(role, want, ready));
      totalDesired += want;
      totalReady += ready;
      if (role.equals(scaleRole)) {
        status.setReplicas(ready);
      }
    }
    status.setRoles(roles);
    status.setReady(totalReady + "/" + totalDesired);
    status.setSelector(ApiConstants.LABEL_SERVICE + "=" + service.getMetadata().getName());
    status.setEndpoints(previous == null ? new ArrayList<>() : previous.getEndpoints());

    List<String> failed = existing.stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Failed)
        .map(a -> a.getMetadata().getName() + ": " + Objects.requireNonNullElse(a.getStatus().getMessage(), "failed"))
        .sorted().toList();
    // What agents wait for (a full or unreachable Cloud) or what only a user can fix.
    List<String> rejected = degradedMessages(existing, Set.of(AgentReasons.CLOUD_REJECTED));
    List<String> waiting = new ArrayList<>(degradedMessages(existing, AgentReasons.WAITING));
    boolean missingAgents = desired.stream().anyMatch(d -> existing.stream()
        .noneMatch(a -> a.getMetadata().getName().equals(d.getMetadata().getName())));
    if (growthHeld != null && missingAgents) {
      waiting.add(0, growthHeld.message());
    }
    List<String> unreachable = existing.stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getUnreachableSince() != null)
        .map(a -> a.getMetadata().getName() + ": "
            + Objects.requireNonNullElse(a.getStatus().getMessage(), "unreachable"))
        .sorted().toList();
    boolean settled = totalReady == totalDesired && existing.size() == totalDesired;

    ServiceState state;
    String message;
    String reason;
    if (!problems.isEmpty()) {
      state = ServiceState.ERROR;
      message = String.join("; ", problems);
      reason = "InvalidConfiguration";
    } else if (!failed.isEmpty()) {
      state = ServiceState.ERROR;
      message = "agents failed: " + String.join("; ", failed);
      reason = "AgentFailed";
    } else if (!rejected.isEmpty() && !service.getSpec().stopRequested()) {
      state = ServiceState.ERROR;
      message = String.join("; ", rejected);
      reason = "CloudRejected";
    } else if (service.getSpec().stopRequested()) {
      state = existing.isEmpty() ? ServiceState.STOPPED : ServiceState.EPILOGUE;
      message = existing.isEmpty() ? "stopped" : "releasing " + existing.size() + " agents";
      reason = existing.isEmpty() ? "Stopped" : "Stopping";
    } else if (held != null) {
      state = existing.isEmpty() ? ServiceState.STOPPED : ServiceState.EPILOGUE;
      message = held.message() + (existing.isEmpty() ? "" : "; releasing " + existing.size() + " agents");
      reason = held.reason();
    } else if (settled) {
      state = ServiceState.RUNNING;
      message = "all " + totalDesired + " agents ready";
      reason = "AllAgentsReady";
    } else if (existing.isEmpty() && (previousState == null || previousState == ServiceState.INIT)) {
      state = ServiceState.INIT;
      message = "accepted; creating " + totalDesired + " agents";
      reason = "Accepted";
    } else if (previousState == ServiceState.RUNNING || previousState == ServiceState.ADAPTING) {
      state = ServiceState.ADAPTING;
      message = totalReady + " of " + totalDesired + " agents ready" + leaving(existing, desiredNames);
      reason = "Adapting";
    } else {
      state = ServiceState.PROLOGUE;
      message = totalReady + " of " + totalDesired + " agents ready";
      reason = "AgentsStarting";
    }
    if (!waiting.isEmpty() && state != ServiceState.ERROR && state != ServiceState.RUNNING) {
      message = message + "; waiting: " + String.join("; ", waiting);
      reason = growthHeld != null && missingAgents ? growthHeld.reason()
          : waiting.stream().anyMatch(m -> m.contains(" is full: ")) ? AgentReasons.CLOUD_FULL : "WaitingForCloud";
    }
    if (!unreachable.isEmpty() && state != ServiceState.ERROR) {
      message = message + "; unreachable: " + String.join("; ", unreachable);
    }
    status.setState(state);
    status.setMessage(message);

    Long gen = service.getMetadata().getGeneration();
    var prev = previous == null ? null : previous.getConditions();
    boolean progressing = state == ServiceState.INIT || state == ServiceState.PROLOGUE
        || state == ServiceState.ADAPTING || state == ServiceState.EPILOGUE;
    boolean replacing = !unreachable.isEmpty() || existing.stream().anyMatch(a -> a.getStatus() != null
        && Conditions.isTrue(a.getStatus().getConditions(), ConditionTypes.DEGRADED));
    String degradedReason = state == ServiceState.ERROR ? reason : !waiting.isEmpty() ? reason
        : !unreachable.isEmpty() ? "AgentsUnreachable" : "ReplacingAgents";
    // Ready is also kstatus's signal: a service stopped as asked is settled (kstatus Current), not
    // in progress, so Ready is True with reason Stopped; Reconciling and Stalled are kstatus's own.
    boolean ready = state == ServiceState.RUNNING || state == ServiceState.STOPPED;
    status.setConditions(Conditions.list(
        Conditions.of(prev, ConditionTypes.READY, ready, reason, message, gen, now),
        Conditions.of(prev, ConditionTypes.PROGRESSING, progressing, progressing ? reason : "Settled",
            progressing ? message : "", gen, now),
        Conditions.of(prev, ConditionTypes.DEGRADED, state == ServiceState.ERROR || replacing,
            state == ServiceState.ERROR || replacing ? degradedReason : "AsExpected",
            state == ServiceState.ERROR || !waiting.isEmpty() || !unreachable.isEmpty() ? message
                : replacing ? "replacing failed agent VMs" : "", gen, now),
        Conditions.of(prev, ConditionTypes.RECONCILING, progressing, progressing ? reason : "Settled",
            progressing ? message : "", gen, now),
        Conditions.of(prev, ConditionTypes.STALLED, state == ServiceState.ERROR,
            state == ServiceState.ERROR ? reason : "AsExpected", state == ServiceState.ERROR ? message : "", gen,
            now)));
    status.setObservedGeneration(gen);
    status.setLastReconcileRequest(ReconcileRequest.recorded(service,
        previous == null ? null : previous.getLastReconcileRequest()));
    return status;
  }

  /** Running and answering, on its current VM, and running the configuration its spec asks for. */
  public static boolean isReady(Agent agent) {
    return agent.getMetadata().getDeletionTimestamp() == null && agent.getStatus() != null
        && agent.getStatus().getPhase() == AgentPhase.Running && agent.getStatus().getUnreachableSince() == null
        && Objects.equals(agent.getStatus().getAppliedConfigHash(), ConfigHash.of(agent.getSpec().getConfig()));
  }

  /** Distinct messages of agents whose Degraded condition has one of the reasons. */
  private static List<String> degradedMessages(Collection<Agent> agents, Set<String> reasons) {
    return agents.stream().filter(a -> a.getStatus() != null && a.getStatus().getConditions() != null)
        .flatMap(a -> a.getStatus().getConditions().stream())
        .filter(c -> ConditionTypes.DEGRADED.equals(c.getType()) && "True".equals(c.getStatus())
            && c.getReason() != null && reasons.contains(c.getReason()))
        .map(c -> c.getMessage()).distinct().sorted().toList();
  }

  private static String leaving(Collection<Agent> existing, Set<String> desiredNames) {
    long n = existing.stream().filter(a -> !desiredNames.contains(a.getMetadata().getName())).count();
    return n == 0 ? "" : "; releasing " + n;
  }
}
