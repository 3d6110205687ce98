package io.conpaas.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.reconcilers.credits.CreditAccountReconciler;
import io.conpaas.reconcilers.vpn.VpnMembership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Informer stores keep objects without managedFields, only where one informer owns the store, and
 * in every informer that holds all Agents.
 */
class LeanCacheTest {
  @Test
  void aStoredObjectHasNoManagedFieldsButKeepsItsIdentityAndLabels() {
    ItemStore<Agent> store = LeanCache.store();
    Agent agent = new Agent();
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:status", Map.of("f:phase", Map.of()));
    agent.setMetadata(new ObjectMetaBuilder().withName("a-0").withNamespace("ns").withResourceVersion("42")
        .withLabels(Map.of("conpaas.io/service", "svc"))
        .withManagedFields(new ManagedFieldsEntry("conpaas.io/v1alpha1", "FieldsV1", fields, "agent", "Apply",
            "status", null)).build());
    store.put(store.getKey(agent), agent);
    Agent cached = store.get("ns/a-0");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getLabels()).containsEntry("conpaas.io/service", "svc");
  }

  @Test
  void copiesDecodedByDifferentInformersShareTheirRepeatingStrings() throws Exception {
    // Each informer decodes its own copy of every Agent from the API server's JSON.
    String json = """
        {"apiVersion":"conpaas.io/v1alpha1","kind":"Agent","metadata":{"name":"svc-web-0","namespace":"team-a",
         "uid":"u-1","labels":{"conpaas.io/service":"svc","conpaas.io/role":"web"},"finalizers":["conpaas.io/vm"],
         "ownerReferences":[{"apiVersion":"conpaas.io/v1alpha1","kind":"PhpService","name":"svc","uid":"u-svc"}]},
         "spec":{"role":"web","serviceKind":"PhpService","cloud":"default","config":{"docroot":"/var/www"}},
         "status":{"facts":{"port":"8080"},"conditions":[{"type":"Ready","status":"True","reason":"Running",
         "message":"the agent serves"}]}}""";
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    ItemStore<Agent> first = LeanCache.store();
    ItemStore<Agent> second = LeanCache.store();
    Agent a = mapper.readValue(json, Agent.class);
    Agent b = mapper.readValue(json, Agent.class);
    assertThat(a.getMetadata().getNamespace()).isNotSameAs(b.getMetadata().getNamespace());
    first.put(first.getKey(a), a);
    second.put(second.getKey(b), b);
    Agent x = first.get("team-a/svc-web-0");
    Agent y = second.get("team-a/svc-web-0");
    assertThat(x.getMetadata().getNamespace()).isSameAs(y.getMetadata().getNamespace());
    assertThat(x.getMetadata().getLabels().get("conpaas.io/role")).isSameAs(y.getMetadata().getLabels().get("conpaas.io/role"));
    assertThat(x.getMetadata().getOwnerReferences().get(0).getUid())
        .isSameAs(y.getMetadata().getOwnerReferences().get(0).getUid());
    assertThat(x.getSpec().getConfig().get("docroot")).isSameAs(y.getSpec().getConfig().get("docroot"));
    assertThat(x.getStatus().getConditions().get(0).getReason()).isSameAs(y.getStatus().getConditions().get(0).getReason());
    assertThat(x.getStatus().getFacts().keySet().iterator().next()).isSameAs(y.getStatus().getFacts().keySet().iterator().next());
    // The content is unchanged.
    assertThat(mapper.readTree(mapper.writeValueAsString(x)))
        .isEqualTo(mapper.readTree(mapper.writeValueAsString(mapper.readValue(json, Agent.class))));
  }

  @Test
  void theInformersThatHoldEveryAgentKeepThemLean() {
    // The VPN membership and the credits each watch every Agent: full copies with managedFields were
    // ~14 KiB per Agent (hack/bench-scale.sh, 1,000 agents, live-heap histograms before and after).
    var agentContext = context(new AgentStub(), Agent.class);
    assertLean(VpnMembership.eventSource(agentContext).configuration().getInformerConfig().getItemStore());
    var creditContext = context(new CreditsStub(), CreditAccount.class);
    var creditSources = new CreditAccountReconciler(null, null, null, null).prepareEventSources(creditContext);
    assertThat(creditSources).singleElement().satisfies(source -> assertLean(
        ((InformerEventSource<?, ?>) source).configuration().getInformerConfig().getItemStore()));
  }

  @SuppressWarnings("unchecked")
  private static void assertLean(ItemStore<?> store) {
    assertThat(store).as("an informer store that strips managedFields").isNotNull();
    ItemStore<Agent> agents = (ItemStore<Agent>) store;
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName("a-0").withNamespace("ns")
        .withManagedFields(new ManagedFieldsEntry("conpaas.io/v1alpha1", "FieldsV1", new FieldsV1(), "agent",
            "Apply", "status", null)).build());
    agents.put(agents.getKey(agent), agent);
    assertThat(agents.get("ns/a-0").getMetadata().getManagedFields()).isNullOrEmpty();
  }

  /** A client that is never used to connect: the event sources are built, not started. */
  private static final KubernetesClient UNUSED = new KubernetesClientBuilder()
      .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();

  private static <P extends HasMetadata> EventSourceContext<P> context(Reconciler<P> reconciler, Class<P> type) {
    return new EventSourceContext<>(null, new BaseConfigurationService().getConfigurationFor(reconciler), UNUSED,
        type);
  }

  @AfterAll
  static void closeClient() {
    UNUSED.close();
  }

  /** Stands for the Agent controller: only its configuration is read. */
  @ControllerConfiguration(name = "agent")
  static final class AgentStub implements Reconciler<Agent> {
    @Override
    public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
      return UpdateControl.noUpdate();
    }
  }

  /** Stands for the CreditAccount controller: only its configuration is read. */
  @ControllerConfiguration(name = "creditaccount")
  static final class CreditsStub implements Reconciler<CreditAccount> {
    @Override
    public UpdateControl<CreditAccount> reconcile(CreditAccount account, Context<CreditAccount> context) {
      return UpdateControl.noUpdate();
    }
  }

  @Test
  void informersOfSeveralNamespacesKeepJosdksOwnStore() {
    assertThat(LeanCache.<Agent>storeFor(Set.of("a"))).isNotNull();
    assertThat(LeanCache.<Agent>storeFor(Set.of())).isNotNull();
    assertThat(LeanCache.<Agent>storeFor(Set.of("a", "b"))).isNull();
    assertThat(LeanCache.<Agent>store()).isNotSameAs(LeanCache.<Agent>store());
  }
}
