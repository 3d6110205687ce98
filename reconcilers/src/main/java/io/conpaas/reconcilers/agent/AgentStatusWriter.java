package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.model.ReconcileRequest;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ends every Agent reconcile step the same way: message and Ready/Degraded conditions set, the
 * generation marked observed, one status patch, and when to look again.
 */
final class AgentStatusWriter {
  private final Clock clock;

  AgentStatusWriter(Clock clock) {
    this.clock = clock;
  }

  /** Progress as expected (Degraded False). next null: only an event brings it back. */
  UpdateControl<Agent> progress(Agent agent, String reason, String message, Duration next) {
    return patch(agent, reason, message, false, next);
  }

  /** Something is wrong; reason and message say what. */
  UpdateControl<Agent> degraded(Agent agent, String reason, String message, Duration next) {
    return patch(agent, reason, message, true, next);
  }

  /** Sets message and conditions on the object in hand (also for callers that patch themselves). */
  void describe(Agent agent, String reason, String message, boolean degraded) {
    AgentStatus st = agent.getStatus();
    AgentPhase phase = st.getPhase() == null ? AgentPhase.Pending : st.getPhase();
    Long gen = agent.getMetadata().getGeneration();
    Instant now = clock.instant();
    st.setMessage(message);
    // Ready only while it runs and nothing is wrong: an unreachable Running agent is not ready.
    boolean ready = phase == AgentPhase.Running && !degraded;
    st.setConditions(Conditions.list(
        Conditions.of(st.getConditions(), ConditionTypes.READY, ready, reason, message, gen, now),
        Conditions.of(st.getConditions(), ConditionTypes.DEGRADED, degraded, degraded ? reason : "AsExpected",
            degraded ? message : "", gen, now)));
    st.setObservedGeneration(gen);
    st.setLastReconcileRequest(ReconcileRequest.recorded(agent, st.getLastReconcileRequest()));
  }

  Instant now() {
    return clock.instant();
  }

  private UpdateControl<Agent> patch(Agent agent, String reason, String message, boolean degraded, Duration next) {
    describe(agent, reason, message, degraded);
    UpdateControl<Agent> control = UpdateControl.patchStatus(agent);
    return next == null ? control : control.rescheduleAfter(next);
  }
}
