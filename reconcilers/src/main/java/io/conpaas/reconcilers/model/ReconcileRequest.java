package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.ApiConstants;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * "Reconcile now": the annotation {@value ApiConstants#ANNOTATION_RECONCILE_REQUESTED_AT} on one of our
 * objects, and the change events that must reach its reconciler although the generation did not move. Pure.
 */
public final class ReconcileRequest {
  /** Longer values are not recorded in status (an annotation can hold 256 KiB). */
  static final int MAX_RECORDED = 128;

  private ReconcileRequest() {}

  /** The annotation's value, if the object has one. */
  public static Optional<String> of(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ApiConstants.ANNOTATION_RECONCILE_REQUESTED_AT);
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  /** What status.lastReconcileRequest should say after a pass: the request in hand, else the last one recorded. */
  public static String recorded(HasMetadata object, String previous) {
    return of(object).map(v -> v.length() > MAX_RECORDED ? v.substring(0, MAX_RECORDED) : v).orElse(previous);
  }

  /** Whether the newer version carries a request the older one did not (a new or changed value). */
  public static boolean requested(HasMetadata newer, HasMetadata older) {
    Optional<String> now = of(newer);
    return now.isPresent() && !Objects.equals(now.get(), of(older).orElse(null));
  }

  /**
   * Whether an update event must reach the reconciler: JOSDK's generation-aware filter (a spec change,
   * a finalizer added, deletion begun) or a new reconcile request (a metadata-only change it would drop).
   */
  public static boolean worthReconciling(HasMetadata newer, HasMetadata older) {
    Long before = older.getMetadata().getGeneration();
    Long after = newer.getMetadata().getGeneration();
    boolean generation = before == null || after == null || before < after;
    boolean finalizerAdded = newer.getMetadata().getFinalizers().stream()
        .anyMatch(f -> !older.getMetadata().getFinalizers().contains(f));
    boolean deletionBegun = !older.isMarkedForDeletion() && newer.isMarkedForDeletion();
    return generation || finalizerAdded || deletionBegun || requested(newer, older);
  }
}
