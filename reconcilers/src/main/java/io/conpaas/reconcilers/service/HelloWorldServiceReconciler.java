package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Reconciles HelloWorldService objects. */
@ControllerConfiguration(name = "helloworldservice")
public final class HelloWorldServiceReconciler extends ServiceReconciler<HelloWorldService> {
  public HelloWorldServiceReconciler(CachedResources<Cloud> clouds,
      CachedResources<Application> applications, EventRecorder events, Clock clock) {
    super(new HelloWorldKind(), clouds, applications, events, clock);
  }
}
