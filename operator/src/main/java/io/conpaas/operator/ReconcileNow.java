package io.conpaas.operator;

import io.conpaas.reconcilers.model.ReconcileRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

/**
 * Lets "reconcile now" requests (a metadata-only change) reach a controller. JOSDK's generation-aware
 * event filter drops updates that leave the generation alone, and a controller's own update filter can
 * only narrow it (JOSDK ANDs the two), so generation awareness is switched off and
 * {@link ReconcileRequest#worthReconciling} does its work plus the request check.
 */
final class ReconcileNow {
  private ReconcileNow() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void configure(ControllerConfigurationOverrider<?> overrider) {
    OnUpdateFilter<HasMetadata> filter = ReconcileRequest::worthReconciling;
    ((ControllerConfigurationOverrider) overrider).withGenerationAware(false).withOnUpdateFilter(filter);
  }
}
