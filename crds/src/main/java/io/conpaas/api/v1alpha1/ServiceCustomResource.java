package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Base class of every service kind: spec S and status T, where T is {@link ServiceStatus} or a
 * subclass with the kind's own blocks, so that no kind's schema shows another kind's status.
 */
// As on CustomResource: plain bean deserialization. Without it Jackson would take the polymorphic
// KubernetesDeserializer of HasMetadata (reached through ServiceResource first) and yield generic objects.
@JsonDeserialize(using = JsonDeserializer.None.class)
public abstract class ServiceCustomResource<S extends ServiceSpec, T extends ServiceStatus>
    extends CustomResource<S, T> implements ServiceResource<S> {
}
