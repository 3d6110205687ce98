package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.reconcilers.model.AgentNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-built pass contexts for plan tests: no API server, no store, no fetcher. */
final class KindPlans {
  static final String NS = "shop";

  private KindPlans() {}

  static <R extends ServiceResource<?>> ServiceContext<R> context(R service, Collection<Agent> agents,
      Observation observed) {
    service.getMetadata().setNamespace(NS);
    return ServiceContext.of(service, agents, List.of(cloud("local")), Optional.of(application("app", "local")))
        .with(observed);
  }

  static Cloud cloud(String name) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    c.setSpec(spec);
    return c;
  }

  static Application application(String name, String cloud) {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    return a;
  }

  /** A Running agent of the service's role slot with a private address and facts. */
  static Agent running(String service, String role, int index, String privateAddress, Map<String, String> facts) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(AgentNames.name(service, role, index)).withNamespace(NS).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setCloud("local");
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setAddresses(new AgentAddresses(null, privateAddress));
    st.setFacts(new java.util.TreeMap<>(facts));
    a.setStatus(st);
    return a;
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(T resource, String name) {
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid("uid-" + name)
        .withGeneration(1L).build());
    return resource;
  }
}
