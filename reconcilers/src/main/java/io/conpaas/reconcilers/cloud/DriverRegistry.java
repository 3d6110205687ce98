package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.IaasDriver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One driver per Cloud, rebuilt when the Cloud's spec changes (a new generation). */
public final class DriverRegistry {
  private record Entry(long generation, IaasDriver driver) {}

  private final DriverFactory factory;
  private final Map<String, Entry> drivers = new ConcurrentHashMap<>();

  public DriverRegistry(DriverFactory factory) {
    this.factory = factory;
  }

  public IaasDriver forCloud(Cloud cloud) {
    long generation = cloud.getMetadata().getGeneration() == null ? 0 : cloud.getMetadata().getGeneration();
    return drivers.compute(cloud.getMetadata().getName(), (name, old) ->
        old != null && old.generation == generation ? old : new Entry(generation, factory.create(cloud)))
        .driver();
  }
}
