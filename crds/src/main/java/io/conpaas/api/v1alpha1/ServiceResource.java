package io.conpaas.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;

/**
 * What every service kind is, seen from generic code: a namespaced object with a spec of role
 * blocks and (at least) the common service status. Kinds extend {@link ServiceCustomResource}.
 */
public interface ServiceResource<S extends ServiceSpec> extends HasMetadata, Namespaced {
  S getSpec();

  /** The common part of the status (a kind's own status class may add blocks, e.g. {@code mysql}). */
  ServiceStatus getStatus();
}
