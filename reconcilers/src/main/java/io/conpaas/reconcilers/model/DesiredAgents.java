package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.AbstractRoleSpec;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The Agent objects a service should own now: a pure function of its spec. */
public final class DesiredAgents {
  private DesiredAgents() {}

  /**
   * One Agent per node of each role, named by slot index, labelled, owned by the service, on
   * the role's resolved Cloud and carrying the role's configuration. A stopped service wants
   * none.
   */
  public static List<Agent> of(ServiceResource<?> service, Map<String, String> cloudByRole,
      Map<String, Map<String, String>> configByRole) {
    return of(service, cloudByRole, configByRole, Map.of());
  }

  /** The same, with the code versions each role's agents must hold (web and backend roles). */
  public static List<Agent> of(ServiceResource<?> service, Map<String, String> cloudByRole,
      Map<String, Map<String, String>> configByRole, Map<String, List<String>> codeByRole) {
    return of(service, cloudByRole, configByRole, codeByRole, (role, index) -> Map.of(), Map.of(), Set.of());
  }

  /**
   * The same, with configuration particular to each agent (by role and slot index) and the
   * Secret whose credentials each role's agents receive.
   */
  public static List<Agent> of(ServiceResource<?> service, Map<String, String> cloudByRole,
      Map<String, Map<String, String>> configByRole, Map<String, List<String>> codeByRole,
      java.util.function.BiFunction<String, Integer, Map<String, String>> perAgent,
      Map<String, String> credentialsByRole, Set<String> statefulRoles) {
    return of(service, cloudByRole, configByRole, codeByRole, perAgent, credentialsByRole, statefulRoles, Map.of());
  }

  /**
   * The same, where slotTypes gives some roles one instance type per slot instead of the role block's
   * nodes and instanceType (a null entry is an empty slot: no Agent of that name).
   */
  public static List<Agent> of(ServiceResource<?> service, Map<String, String> cloudByRole,
      Map<String, Map<String, String>> configByRole, Map<String, List<String>> codeByRole,
      java.util.function.BiFunction<String, Integer, Map<String, String>> perAgent,
      Map<String, String> credentialsByRole, Set<String> statefulRoles, Map<String, List<String>> slotTypes) {
    List<Agent> agents = new ArrayList<>();
    if (service.getSpec().stopRequested()) {
      return agents;
    }
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    for (Map.Entry<String, AbstractRoleSpec> e : service.getSpec().roles().entrySet()) {
      String role = e.getKey();
      List<String> types = slotTypes.get(role);
      int nodes = types != null ? types.size() : nodes(e.getValue());
      for (int i = 0; i < nodes; i++) {
        if (types != null && types.get(i) == null) {
          // An empty slot: its Agent (if any) goes, the slots after it keep their names.
          continue;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ApiConstants.LABEL_APPLICATION, service.getSpec().getApplication());
        labels.put(ApiConstants.LABEL_SERVICE, name);
        labels.put(ApiConstants.LABEL_ROLE, role);
        labels.put(ApiConstants.LABEL_SERVICE_KIND, service.getKind());
        labels.put(AgentNames.INDEX_LABEL, Integer.toString(i));
        Agent agent = new Agent();
        agent.setMetadata(new ObjectMetaBuilder()
            .withName(AgentNames.name(name, role, i))
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion(service.getApiVersion())
                .withKind(service.getKind())
                .withName(name)
                .withUid(service.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
            .build());
        AgentSpec spec = new AgentSpec();
        spec.setRole(role);
        spec.setServiceKind(service.getKind());
        spec.setCloud(cloudByRole.get(role));
        spec.setInstanceType(types != null ? types.get(i) : e.getValue() == null ? null : e.getValue().getInstanceType());
        Map<String, String> config = new TreeMap<>(configByRole.getOrDefault(role, Map.of()));
        config.putAll(perAgent.apply(role, i));
        spec.setConfig(config);
        spec.setCredentialsSecret(credentialsByRole.get(role));
        spec.setStateful(statefulRoles.contains(role) ? Boolean.TRUE : null);
        spec.setCodeVersions(new ArrayList<>(codeByRole.getOrDefault(role, List.of())));
        agent.setSpec(spec);
        agents.add(agent);
      }
    }
    return agents;
  }

  /** The names of the Agents the service wants (none when stopped): slots 0..nodes-1 of each role. */
  public static Set<String> names(ServiceResource<?> service) {
    Set<String> names = new LinkedHashSet<>();
    if (service.getSpec().stopRequested()) {
      return names;
    }
    service.getSpec().roles().forEach((role, spec) -> {
      for (int i = 0; i < nodes(spec); i++) {
        names.add(AgentNames.name(service.getMetadata().getName(), role, i));
      }
    });
    return names;
  }

  /** Desired nodes of a role block (an absent block or count means 0). */
  public static int nodes(AbstractRoleSpec role) {
    return role == null || role.getNodes() == null ? 0 : role.getNodes();
  }
}
