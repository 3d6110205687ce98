package io.conpaas.reconcilers.service;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.PhpService;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;
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
  private final CodeSourceFetcher fetcher;

  public PhpServiceReconciler(CodeStore store, CodeSourceFetcher fetcher, Databases databases, EventRecorder events,
      Clock clock, CreditGate credits) {
    super(new WebKind<>("PhpService", store, fetcher, true, s -> s.getSpec().getDebug(),
        s -> s.getSpec().getDatabase() == null ? null : s.getSpec().getDatabase().getName(), databases), events, clock, credits);
    this.fetcher = fetcher;
  }

  @Override
  protected List<EventSource<?, PhpService>> moreEventSources(EventSourceContext<PhpService> context) {
    // The database's master address or Secret changing reaches the backends' configuration.
    var databaseEvents = new InformerEventSource<>(InformerEventSourceConfiguration.from(MysqlService.class,
            PhpService.class)
        .withName("databases")
        .withSecondaryToPrimaryMapper(db -> context.getPrimaryCache().list(db.getMetadata().getNamespace())
            .filter(p -> p.getSpec() != null && p.getSpec().getDatabase() != null
                && db.getMetadata().getName().equals(p.getSpec().getDatabase().getName()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    return List.of(CodeUploadEvents.of(context), databaseEvents, CodeFetchEvents.of(fetcher, "PhpService"));
  }
}
