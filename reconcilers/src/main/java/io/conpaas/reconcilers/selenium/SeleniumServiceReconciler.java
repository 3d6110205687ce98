package io.conpaas.reconcilers.selenium;

import io.conpaas.api.v1alpha1.SeleniumService;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles SeleniumService objects (a Selenium Grid). */
@ControllerConfiguration(name = "seleniumservice")
public final class SeleniumServiceReconciler extends ServiceReconciler<SeleniumService> {
  public SeleniumServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    super(new SeleniumKind(), events, clock, credits);
  }
}
