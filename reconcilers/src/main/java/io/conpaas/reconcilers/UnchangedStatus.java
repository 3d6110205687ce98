package io.conpaas.reconcilers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Drops a status patch that would write the status the object already has. JOSDK sends every patch
 * it is handed: each Running agent wrote its unchanged status at every liveness check, and each
 * service at every pass an Agent's change triggered (hack/bench-scale.sh: ~1 API-server write per
 * agent per agent.runningResync, 200/s for 1,000 agents). An unchanged status now costs no write,
 * only its reschedule.
 */
public final class UnchangedStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UnchangedStatus() {}

  /** The status as it would be written (taken before a pass changes it). */
  public static String snapshot(Object status) {
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      // Never equal to a later snapshot: the patch is sent, as before.
      return "unserializable@" + System.nanoTime();
    }
  }

  /** control, or no update with the same reschedule when it patches a status equal to before. */
  public static <T extends HasMetadata> UpdateControl<T> skipIfUnchanged(String before, Object statusNow,
      UpdateControl<T> control) {
    if (!control.isPatchStatus() || !before.equals(snapshot(statusNow))) {
      return control;
    }
    UpdateControl<T> none = UpdateControl.noUpdate();
    return control.getScheduleDelay().map(none::rescheduleAfter).orElse(none);
  }
}
