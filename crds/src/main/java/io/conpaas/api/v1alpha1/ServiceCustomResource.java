package io.conpaas.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;

/**
 * Base class of every service kind: spec S and status T, where T is {@link ServiceStatus} or a
 * subclass with the kind's own blocks, so that no kind's schema shows another kind's status.
 */
public abstract class ServiceCustomResource<S extends ServiceSpec, T extends ServiceStatus>
    extends CustomResource<S, T> implements ServiceResource<S> {
}
