package io.conpaas.reconcilers.taskfarm;

import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.service.ServiceReconciler;
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

/** Reconciles TaskFarmService objects (bags of tasks); passes every second while a bag samples or executes. */
@ControllerConfiguration(name = "taskfarmservice")
public final class TaskFarmServiceReconciler extends ServiceReconciler<TaskFarmService> {
  private static final Duration BUSY_PASS = Duration.ofSeconds(1);

  private final AtomicReference<LedgerStore> store;

  public TaskFarmServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    this(new AtomicReference<>(), events, clock, credits);
  }

  private TaskFarmServiceReconciler(AtomicReference<LedgerStore> store, EventRecorder events, Clock clock,
      CreditGate credits) {
    super(new TaskFarmKind(store::get, clock), events, clock, credits);
    this.store = store;
  }

  @Override
  protected List<EventSource<?, TaskFarmService>> moreEventSources(EventSourceContext<TaskFarmService> context) {
    // The ledger store needs the operator's client, which JOSDK hands over here, before any pass.
    store.compareAndSet(null, new LedgerStore(context.getClient()));
    return List.of();
  }

  @Override
  public UpdateControl<TaskFarmService> reconcile(TaskFarmService service, Context<TaskFarmService> context) {
    UpdateControl<TaskFarmService> control = super.reconcile(service, context);
    // Workers report at their own pace and demo mode has none: poll while work is in flight.
    return TaskFarmKind.busy(service) ? control.rescheduleAfter(BUSY_PASS) : control;
  }
}
