package io.conpaas.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;

/** Base of every service kind: a spec with role blocks and the common service status. */
public abstract class ServiceResource<S extends ServiceSpec> extends CustomResource<S, ServiceStatus>
    implements Namespaced {
}
