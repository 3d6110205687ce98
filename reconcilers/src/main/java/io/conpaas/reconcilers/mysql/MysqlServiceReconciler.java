package io.conpaas.reconcilers.mysql;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reconciles MysqlService objects; a change of a password Secret (the reset) triggers its service:
 * through a watch of labelled Secrets where the operator may list them everywhere it reconciles,
 * else by re-reading the Secret every {@link #SECRET_RESYNC}.
 */
@ControllerConfiguration(name = "mysqlservice")
public final class MysqlServiceReconciler extends ServiceReconciler<MysqlService> {
  /** How soon a password reset reaches the agents when Secrets cannot be watched. */
  static final Duration SECRET_RESYNC = Duration.ofSeconds(15);

  private final boolean watchSecrets;

  /** With watchSecrets false (no list/watch of Secrets granted, see SecretWatchScope), Secrets are polled. */
  public MysqlServiceReconciler(MysqlSecrets secrets, boolean watchSecrets, EventRecorder events, Clock clock,
      CreditGate credits) {
    super(new MysqlKind(secrets), events, clock, credits);
    this.watchSecrets = watchSecrets;
  }

  @Override
  protected List<EventSource<?, MysqlService>> moreEventSources(EventSourceContext<MysqlService> context) {
    if (!watchSecrets) {
      return List.of();
    }
    // Only Secrets labelled for a MySQL service are watched (the operator's own and those the
    // plugin resets), so the operator never caches other Secrets.
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, MysqlService.class)
        .withName("mysql-secrets")
        .withLabelSelector(MysqlSecrets.SERVICE_LABEL)
        .withSecondaryToPrimaryMapper(s -> Set.of(new ResourceID(
            s.getMetadata().getLabels().get(MysqlSecrets.SERVICE_LABEL), s.getMetadata().getNamespace())))
        .build(), context));
  }

  @Override
  public UpdateControl<MysqlService> reconcile(MysqlService service, Context<MysqlService> context) {
    UpdateControl<MysqlService> control = super.reconcile(service, context);
    if (!watchSecrets && control.getScheduleDelay().isEmpty()) {
      control.rescheduleAfter(SECRET_RESYNC);
    }
    return control;
  }
}
