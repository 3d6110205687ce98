package io.conpaas.reconcilers.mapreduce;

import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.service.ServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles MapReduceService objects (Hadoop HDFS + YARN). */
@ControllerConfiguration(name = "mapreduceservice")
public final class MapReduceServiceReconciler extends ServiceReconciler<MapReduceService> {
  public MapReduceServiceReconciler(EventRecorder events, Clock clock, CreditGate credits) {
    super(new MapReduceKind(), events, clock, credits);
  }
}
