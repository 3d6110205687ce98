package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.ServiceStatus;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Turns the common status the builder computed into a kind's status class, keeping every common field. */
public final class StatusCopy {
  private StatusCopy() {}

  public static <T extends ServiceStatus> T as(ServiceStatus common, Class<T> type) {
    return type.isInstance(common) ? type.cast(common) : Serialization.jsonMapper().convertValue(common, type);
  }
}
