package io.conpaas.reconcilers.model;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.api.v1alpha1.AbstractRoleSpec;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceCustomResource;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.ServiceSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Builders of services and Agents for the model tests. */
final class TestObjects {
  static final String NS = "shop";

  private TestObjects() {}

  static HelloWorldService helloWorld(String name, Integer nodes) {
    HelloWorldService s = new HelloWorldService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid("uid-" + name)
        .withGeneration(7L).build());
    HelloWorldServiceSpec spec = new HelloWorldServiceSpec();
    spec.setApplication("shop-app");
    spec.setAgents(nodes == null ? null : new ScaleRoleSpec(nodes));
    s.setSpec(spec);
    return s;
  }

  /** A service of two roles (proxy, then backend), like ConPaaS's PHP service. */
  static TwoRoleService twoRoles(String name, int proxies, int backends) {
    TwoRoleService s = new TwoRoleService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid("uid-" + name)
        .withGeneration(3L).build());
    TwoRoleSpec spec = new TwoRoleSpec();
    spec.setApplication("shop-app");
    spec.proxy = new RoleSpec(proxies);
    spec.backend = new ScaleRoleSpec(backends);
    s.setSpec(spec);
    return s;
  }

  /** An Agent of slot index of role, with no status. */
  static Agent agent(String service, String role, int index, String cloud, String instanceType,
      Map<String, String> config) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(AgentNames.name(service, role, index)).withNamespace(NS)
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, service, AgentNames.INDEX_LABEL, Integer.toString(index)))
        .build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setCloud(cloud);
    spec.setInstanceType(instanceType);
    spec.setConfig(new TreeMap<>(config));
    a.setSpec(spec);
    return a;
  }

  /** The Agent in the given phase, reporting appliedHash as its applied configuration. */
  static Agent withPhase(Agent a, AgentPhase phase, String appliedHash) {
    AgentStatus st = new AgentStatus();
    st.setPhase(phase);
    st.setAppliedConfigHash(appliedHash);
    a.setStatus(st);
    return a;
  }

  /** The Agent Running the configuration its spec asks for. */
  static Agent running(Agent a) {
    return withPhase(a, AgentPhase.Running, ConfigHash.of(a.getSpec().getConfig()));
  }

  /** A test-only service kind with two roles. */
  @Group(ApiConstants.GROUP)
  @Version(ApiConstants.VERSION)
  static final class TwoRoleService extends ServiceCustomResource<TwoRoleSpec, ServiceStatus> {
  }

  /** Spec of {@link TwoRoleService}. */
  static final class TwoRoleSpec extends ServiceSpec {
    RoleSpec proxy;
    ScaleRoleSpec backend;

    @Override
    public Map<String, AbstractRoleSpec> roles() {
      Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
      roles.put("proxy", proxy);
      roles.put("backend", backend);
      return roles;
    }
  }
}
