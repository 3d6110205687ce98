package io.conpaas.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Informer stores keep objects without managedFields, and only where one informer owns the store. */
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
  void informersOfSeveralNamespacesKeepJosdksOwnStore() {
    assertThat(LeanCache.<Agent>storeFor(Set.of("a"))).isNotNull();
    assertThat(LeanCache.<Agent>storeFor(Set.of())).isNotNull();
    assertThat(LeanCache.<Agent>storeFor(Set.of("a", "b"))).isNull();
    assertThat(LeanCache.<Agent>store()).isNotSameAs(LeanCache.<Agent>store());
  }
}
