package io.conpaas.reconcilers.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.api.v1alpha1.Agent;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Drops an Agent status patch that would write the status the Agent already has. JOSDK sends every
 * patch it is handed, so each Running agent wrote its unchanged status at every liveness check
 * (hack/bench-scale.sh: ~1 API-server write per agent per agent.runningResync, 200/s for 1,000
 * agents); an unchanged status now costs no write, only its reschedule.
 */
final class UnchangedStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UnchangedStatus() {}

  /** The Agent's status as it would be written (taken before a pass changes it). */
  static String snapshot(Agent agent) {
    try {
      return JSON.writeValueAsString(agent.getStatus());
    } catch (JsonProcessingException e) {
      // Never equal to a later snapshot: the patch is sent, as before.
      return "unserializable@" + System.nanoTime();
    }
  }

  /** control, or no update with the same reschedule when it patches a status equal to before. */
  static UpdateControl<Agent> skipIfUnchanged(String before, Agent agent, UpdateControl<Agent> control) {
    if (!control.isPatchStatus() || !before.equals(snapshot(agent))) {
      return control;
    }
    UpdateControl<Agent> none = UpdateControl.noUpdate();
    return control.getScheduleDelay().map(none::rescheduleAfter).orElse(none);
  }
}
