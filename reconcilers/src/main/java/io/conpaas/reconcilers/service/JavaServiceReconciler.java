package io.conpaas.reconcilers.service;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;

/** Reconciles JavaService objects (Java web hosting). */
@ControllerConfiguration(name = "javaservice")
public final class JavaServiceReconciler extends ServiceReconciler<JavaService> {
  private final CodeSourceFetcher fetcher;

  public JavaServiceReconciler(CodeStore store, CodeSourceFetcher fetcher, EventRecorder events, Clock clock,
      CreditGate credits) {
    super(new WebKind<>("JavaService", store, fetcher, false, s -> null), events, clock, credits);
    this.fetcher = fetcher;
  }

  @Override
  protected List<EventSource<?, JavaService>> moreEventSources(EventSourceContext<JavaService> context) {
    return List.of(CodeUploadEvents.of(context), CodeFetchEvents.of(fetcher, "JavaService"));
  }
}
