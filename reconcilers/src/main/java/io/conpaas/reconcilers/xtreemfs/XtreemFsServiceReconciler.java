package io.conpaas.reconcilers.xtreemfs;

import io.conpaas.api.v1alpha1.XtreemFsService;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles XtreemFsService objects (SeaweedFS master, filer and volume servers). */
@ControllerConfiguration(name = "xtreemfsservice")
public final class XtreemFsServiceReconciler extends ServiceReconciler<XtreemFsService> {
  public XtreemFsServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    super(new XtreemFsKind(), events, clock, credits);
  }
}
