package io.conpaas.reconcilers.telemetry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * JOSDK's metrics (delegated to unchanged) plus conpaas.reconcile.errors per kind, registered at
 * zero for every controller: JOSDK's own failure counters appear only after a first failure (and
 * per exception class), so an alert on them would have no series to judge on a healthy operator.
 */
public final class ReconcileErrorCounter implements Metrics {
  private final Metrics delegate;
  private final MeterRegistry registry;

  public ReconcileErrorCounter(Metrics delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    counter(HasMetadata.getKind(controller.getConfiguration().getResourceClass()));
    delegate.controllerRegistered(controller);
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    counter(resource.getKind() != null ? resource.getKind() : HasMetadata.getKind(resource.getClass())).increment();
    delegate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceId, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceId, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return delegate.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }

  private Counter counter(String kind) {
    return Counter.builder("conpaas.reconcile.errors").description("Reconciles that threw, per kind")
        .tag("kind", kind).register(registry);
  }
}
