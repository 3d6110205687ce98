package io.conpaas.reconcilers.kv;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles ScalarisService objects (the key-value store). */
@ControllerConfiguration(name = "scalarisservice")
public final class ScalarisServiceReconciler extends ServiceReconciler<ScalarisService> {
  public ScalarisServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    super(new ScalarisKind(), events, clock, credits);
  }
}
