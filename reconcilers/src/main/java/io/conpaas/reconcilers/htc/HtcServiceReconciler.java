package io.conpaas.reconcilers.htc;

import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.taskfarm.LedgerStore;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Reconciles HtcService objects; passes every second while a job samples or runs. */
@ControllerConfiguration(name = "htcservice")
public final class HtcServiceReconciler extends ServiceReconciler<HtcService> {
  private static final Duration BUSY_PASS = Duration.ofSeconds(1);

  private final AtomicReference<LedgerStore> store;

  public HtcServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    this(new AtomicReference<>(), events, clock, credits);
  }

  private HtcServiceReconciler(AtomicReference<LedgerStore> store, EventRecorder events, Clock clock,
      CreditGate credits) {
    super(new HtcKind(store::get, clock), events, clock, credits);
    this.store = store;
  }

  @Override
  protected List<EventSource<?, HtcService>> moreEventSources(EventSourceContext<HtcService> context) {
    // The ledger store needs the operator's client, which JOSDK hands over here, before any pass.
    store.compareAndSet(null, new LedgerStore(context.getClient()));
    return List.of();
  }

  @Override
  public UpdateControl<HtcService> reconcile(HtcService service, Context<HtcService> context) {
    UpdateControl<HtcService> control = super.reconcile(service, context);
    // Workers report at their own pace and demo mode has none: poll while work is in flight.
    return HtcKind.busy(service) ? control.rescheduleAfter(BUSY_PASS) : control;
  }
}
