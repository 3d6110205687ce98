package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Cloud;
import java.util.function.Supplier;

/**
 * Serialises the maxInstances check and the create on one Cloud, so two Agents cannot both take
 * the last slot. Lock striping by Cloud name instead of a lock per Cloud: bounded, nothing to
 * prune when a Cloud goes (two Clouds sharing a stripe only wait for each other's creates).
 */
final class CapacityGate {
  private static final int STRIPES = 64;
  private final Object[] stripes = new Object[STRIPES];

  CapacityGate() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  <T> T serialised(Cloud cloud, Supplier<T> step) {
    synchronized (stripes[Math.floorMod(cloud.getMetadata().getName().hashCode(), STRIPES)]) {
      return step.get();
    }
  }
}
