package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.reconcilers.model.DesiredAgents;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one reconcile pass of a service knows, read once at its start: the service, its
 * Agents, the Clouds and its Application (all from the JOSDK informers that trigger the
 * reconciler), the names of the Agents it keeps (the others are leaving) and what its kind's
 * observe step found. A kind's plan reads only this.
 */
public record ServiceContext<R extends ServiceResource<?>>(R service, Collection<Agent> agents, Set<String> keep,
    Collection<Cloud> clouds, Optional<Application> application, Observation observed) {

  public ServiceContext {
    agents = List.copyOf(agents);
    keep = Set.copyOf(keep);
    clouds = List.copyOf(clouds);
  }

  /** The context of a pass before the kind's observe step. */
  public static <R extends ServiceResource<?>> ServiceContext<R> of(R service, Collection<Agent> agents,
      Collection<Cloud> clouds, Optional<Application> application) {
    return new ServiceContext<>(service, agents, DesiredAgents.names(service), clouds, application, Observation.NONE);
  }

  /** This context with the kind's observation. */
  public ServiceContext<R> with(Observation observation) {
    return new ServiceContext<>(service, agents, keep, clouds, application, observation);
  }

  public String namespace() {
    return service.getMetadata().getNamespace();
  }
}
