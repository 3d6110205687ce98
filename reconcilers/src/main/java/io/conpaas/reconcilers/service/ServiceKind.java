package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between service kinds for the generic service reconciler. {@code agents} are the
 * service's existing Agents, {@code keep} the names of those it wants (the others are leaving).
 */
public interface ServiceKind<R extends ServiceResource<?>> {
  /** The role backing the scale subresource. */
  String scaleRole();

  /** The configuration each role's agents must run, by role. */
  Map<String, Map<String, String>> roleConfig(R service, Collection<Agent> agents, Set<String> keep);

  /** Configuration particular to one agent (e.g. a unique server id), added to its role's. */
  default Map<String, String> agentConfig(R service, String role, int index) {
    return Map.of();
  }

  /** The Secret (same namespace) whose credentials each role's agents must receive, by role. */
  default Map<String, String> roleCredentials(R service) {
    return Map.of();
  }

  /** Roles whose data lives only on their VMs: a lost VM is reported, not replaced by an empty one. */
  default java.util.Set<String> statefulRoles() {
    return java.util.Set.of();
  }

  /** What besides Running with the current configuration makes an agent ready (e.g. a slave replicating). */
  default boolean ready(Agent agent) {
    return true;
  }

  /** The code versions each role's agents must hold before they are configured, by role. */
  default Map<String, List<String>> roleCode(R service) {
    return Map.of();
  }

  /** What in the spec blocks the service (it then stays in ERROR with these messages). */
  default List<String> problems(R service) {
    return List.of();
  }

  /** Whether a leaving Agent may be deleted now (e.g. only once no proxy sends it requests). */
  default boolean mayRelease(Agent leaving, Collection<Agent> agents, Set<String> keep) {
    return true;
  }

  /** Adds what is particular to the kind (endpoints, code) to the status built for it. */
  default void completeStatus(R service, Collection<Agent> agents, Set<String> keep, ServiceStatus status) {}

  /** Called once every Agent of a deleted service is gone: forget what the kind kept for it. */
  default void released(R service) {}
}
