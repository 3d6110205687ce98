package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;

/** Reconciles PhpService objects (PHP web hosting). */
@ControllerConfiguration(name = "phpservice")
public final class PhpServiceReconciler extends ServiceReconciler<PhpService> {
  public PhpServiceReconciler(CodeStore store, CodeSourceFetcher fetcher, CachedResources<Cloud> clouds,
      CachedResources<Application> applications, EventRecorder events, Clock clock) {
    super(new WebKind<>("PhpService", store, fetcher, true, s -> s.getSpec().getDebug()),
        clouds, applications, events, clock);
  }

  @Override
  protected List<EventSource<?, PhpService>> moreEventSources(EventSourceContext<PhpService> context) {
    return List.of(CodeUploadEvents.of(context));
  }
}
