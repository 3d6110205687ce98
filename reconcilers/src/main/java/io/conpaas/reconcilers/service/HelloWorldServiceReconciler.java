package io.conpaas.reconcilers.service;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles HelloWorldService objects. */
@ControllerConfiguration(name = "helloworldservice")
public final class HelloWorldServiceReconciler extends ServiceReconciler<HelloWorldService> {
  public HelloWorldServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    super(new HelloWorldKind(), events, clock, credits);
  }
}
