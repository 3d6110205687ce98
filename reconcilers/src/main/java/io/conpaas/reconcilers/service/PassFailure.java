package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.model.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status of a service whose pass threw: the last status (kind blocks included) with its
 * message and a Degraded condition (reason {@value #REASON}) saying what failed. Pure.
 */
public final class PassFailure {
  public static final String REASON = "ReconcileFailed";
  private static final int MAX_MESSAGE = 400;

  private PassFailure() {}

  public static ServiceStatus status(ServiceResource<?> service, Exception e, Instant now) {
    ServiceStatus previous = service.getStatus();
    ServiceStatus status = previous != null ? previous : new ServiceStatus();
    if (status.getState() == null) {
      status.setState(ServiceState.INIT);
    }
    String message = "reconcile failed, retrying: " + describe(e);
    status.setMessage(message);
    Long gen = service.getMetadata().getGeneration();
    List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of()
        : status.getConditions().stream().filter(c -> !ConditionTypes.DEGRADED.equals(c.getType())).toList());
    conditions.add(Conditions.of(status.getConditions(), ConditionTypes.DEGRADED, true, REASON, message, gen, now));
    status.setConditions(conditions);
    return status;
  }

  /** An optimistic-lock conflict (HTTP 409): nothing to report, the retry reads the newer object. */
  public static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }

  /** Exception class and message, one line, bounded (API errors can carry whole response bodies). */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
      root = root.getCause();
    }
    String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
  }
}
