package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ServiceStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What a kind wants in one pass, computed purely from a {@link ServiceContext}: each role's
 * configuration, per-agent additions, the Secret and code versions each role's agents receive,
 * the roles whose data lives on their VMs, when an agent counts as ready, when a leaving agent
 * may go, what blocks the service, and how the common status becomes the kind's status.
 */
public record KindPlan(Map<String, Map<String, String>> roleConfig, AgentConfig agentConfig,
    Map<String, String> roleCredentials, Set<String> statefulRoles, Map<String, List<String>> roleCode,
    Predicate<Agent> ready, Predicate<Agent> mayRelease, List<String> problems, UnaryOperator<ServiceStatus> status) {

  /** Configuration particular to one agent (e.g. a unique server id), added to its role's. */
  @FunctionalInterface
  public interface AgentConfig {
    Map<String, String> of(String role, int index);
  }

  public KindPlan {
    roleConfig = Map.copyOf(roleConfig);
    roleCredentials = Map.copyOf(roleCredentials);
    statefulRoles = Set.copyOf(statefulRoles);
    roleCode = Map.copyOf(roleCode);
    problems = List.copyOf(problems);
  }

  /** A plan with only role configuration: every agent ready when running it, released at once, status common. */
  public static KindPlan of(Map<String, Map<String, String>> roleConfig) {
    return new KindPlan(roleConfig, (role, index) -> Map.of(), Map.of(), Set.of(), Map.of(), a -> true, a -> true,
        List.of(), UnaryOperator.identity());
  }

  public KindPlan withAgentConfig(AgentConfig perAgent) {
    return new KindPlan(roleConfig, perAgent, roleCredentials, statefulRoles, roleCode, ready, mayRelease, problems,
        status);
  }

  public KindPlan withCredentials(Map<String, String> secretByRole) {
    return new KindPlan(roleConfig, agentConfig, secretByRole, statefulRoles, roleCode, ready, mayRelease, problems,
        status);
  }

  public KindPlan withStatefulRoles(Set<String> roles) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, roles, roleCode, ready, mayRelease, problems, status);
  }

  public KindPlan withCode(Map<String, List<String>> versionsByRole) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, statefulRoles, versionsByRole, ready, mayRelease,
        problems, status);
  }

  public KindPlan withReady(Predicate<Agent> rule) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, statefulRoles, roleCode, rule, mayRelease, problems,
        status);
  }

  public KindPlan withMayRelease(Predicate<Agent> rule) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, statefulRoles, roleCode, ready, rule, problems,
        status);
  }

  public KindPlan withProblems(List<String> blocking) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, statefulRoles, roleCode, ready, mayRelease, blocking,
        status);
  }

  /** With the step that turns the common status into the kind's (its own blocks, endpoints, message). */
  public KindPlan withStatus(UnaryOperator<ServiceStatus> complete) {
    return new KindPlan(roleConfig, agentConfig, roleCredentials, statefulRoles, roleCode, ready, mayRelease, problems,
        complete);
  }
}
