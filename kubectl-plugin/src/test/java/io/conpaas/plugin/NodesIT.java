package io.conpaas.plugin;

import static io.conpaas.plugin.TestObjects.SETUP_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** add-nodes and remove-nodes against the real API server: exactly one field changes, via /scale. */
class NodesIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-nodes");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void addNodesChangesOnlyTheScaleRoleCountThroughTheScaleSubresource() {
    GenericKubernetesResource before = TestObjects.helloWorld(client, ns, "grow", 2);

    Plugin.Result r = Plugin.run("-n", ns, "add-nodes", "grow", "3");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("helloworldservice/grow: role agents nodes 2 -> 5");
    assertThat(r.err()).isEmpty();
    GenericKubernetesResource after = get("grow");
    assertThat((Object) after.get("spec", "agents", "nodes")).isEqualTo(5);
    assertOnlyNodesChanged(before, after);

    // The write went through the /scale subresource, under the plugin's field manager.
    ManagedFieldsEntry scale = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "scale").orElseThrow();
    assertThat(TestObjects.fields(scale)).isEqualTo(Map.of("f:spec", Map.of("f:agents", Map.of("f:nodes", Map.of()))));
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "")).isEmpty();
    // The setup manager keeps every other field it applied.
    Map<String, Object> setup = TestObjects.fields(TestObjects.managedBy(after, SETUP_MANAGER, "").orElseThrow());
    assertThat(setup).containsKeys("f:metadata", "f:spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> setupSpec = (Map<String, Object>) setup.get("f:spec");
    assertThat(setupSpec).containsKeys("f:application", "f:cloud", "f:message", "f:agents");
    assertThat(setupSpec.get("f:agents")).isEqualTo(Map.of("f:instanceType", Map.of()));
  }

  @Test
  void removeNodesLowersTheCountAndTheAliasOfCpsclientWorks() {
    GenericKubernetesResource before = TestObjects.helloWorld(client, ns, "shrink", 3);

    Plugin.Result r = Plugin.run("-n", ns, "remove_nodes", "shrink", "2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("role agents nodes 3 -> 1");
    GenericKubernetesResource after = get("shrink");
    assertThat((Object) after.get("spec", "agents", "nodes")).isEqualTo(1);
    assertOnlyNodesChanged(before, after);
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "scale")).isPresent();

    // Down to exactly 0 is allowed.
    assertThat(Plugin.run("-n", ns, "remove-nodes", "shrink", "1").exitCode()).isZero();
    assertThat((Object) get("shrink").get("spec", "agents", "nodes")).isEqualTo(0);
  }

  @Test
  void removingMoreNodesThanTheRoleHasFailsClearlyAndChangesNothing() {
    TestObjects.helloWorld(client, ns, "floor", 2);
    String version = get("floor").getMetadata().getResourceVersion();

    Plugin.Result r = Plugin.run("-n", ns, "remove-nodes", "floor", "3");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly(
        "error: cannot remove 3 nodes from role agents of helloworldservice/floor: it has 2 and cannot go below 0");
    assertThat(get("floor").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void anUnknownRoleFailsNamingTheRolesAndChangesNothing() {
    TestObjects.helloWorld(client, ns, "roles", 1);
    String version = get("roles").getMetadata().getResourceVersion();

    Plugin.Result add = Plugin.run("-n", ns, "add-nodes", "roles", "--role", "backend", "1");
    Plugin.Result remove = Plugin.run("-n", ns, "remove-nodes", "roles", "--role", "backend", "1");

    for (Plugin.Result r : new Plugin.Result[] {add, remove}) {
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly(
          "error: unknown role 'backend' for helloworldservice/roles; its roles: agents");
    }
    assertThat(get("roles").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void addNodesWithCloudPatchesOnlyTheRolesCloudAndCount() {
    GenericKubernetesResource before = TestObjects.helloWorld(client, ns, "moved", 1);

    Plugin.Result r = Plugin.run("-n", ns, "add-nodes", "moved", "--role", "agents", "--cloud", "aws-eu", "1");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    GenericKubernetesResource after = get("moved");
    assertThat((Object) after.get("spec", "agents", "cloud")).isEqualTo("aws-eu");
    assertThat((Object) after.get("spec", "agents", "nodes")).isEqualTo(2);
    assertThat((Object) after.get("spec", "agents", "instanceType")).isEqualTo("small");
    assertThat((Object) after.get("spec", "cloud")).isEqualTo("local-cloud");
    assertThat((Object) after.get("spec", "message")).isEqualTo(before.get("spec", "message"));
    ManagedFieldsEntry patch = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(patch.getOperation()).isEqualTo("Update");
    assertThat(TestObjects.fields(patch)).isEqualTo(Map.of("f:spec", Map.of("f:agents", Map.of("f:cloud", Map.of()))));
  }

  @Test
  void nMustBePositiveAndServicesMustExist() {
    TestObjects.helloWorld(client, ns, "zero", 1);

    Plugin.Result zero = Plugin.run("-n", ns, "add-nodes", "zero", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.errLines()).containsExactly("error: N must be at least 1 (got 0)");

    Plugin.Result missing = Plugin.run("-n", ns, "add-nodes", "nosuch", "1");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.errLines()).hasSize(1).first().asString()
        .startsWith("error: service 'nosuch' not found in namespace '" + ns + "'");
  }

  @Test
  void aCountAboveTheSchemaMaximumIsRejectedByTheServerInOneLine() {
    TestObjects.helloWorld(client, ns, "cap", 1);

    Plugin.Result r = Plugin.run("-n", ns, "add-nodes", "helloworld/cap", "1000");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1).first().asString()
        .startsWith("error: invalid (HTTP 422)").contains("spec.agents.nodes");
    assertThat((Object) get("cap").get("spec", "agents", "nodes")).isEqualTo(1);
  }

  @Test
  void concurrentAddNodesLoseNoUpdate() {
    TestObjects.helloWorld(client, ns, "race", 1);

    List<CompletableFuture<Plugin.Result>> runs = IntStream.range(0, 4)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> Plugin.run("-n", ns, "add-nodes", "race", "2")))
        .toList();

    assertThat(runs).allSatisfy(f -> assertThat(f.join().exitCode()).as(f.join().toString()).isZero());
    assertThat((Object) get("race").get("spec", "agents", "nodes")).isEqualTo(9);
  }

  private static GenericKubernetesResource get(String name) {
    return TestObjects.hello(client, ns, name).get();
  }

  /** Spec, labels and annotations are equal except spec.agents.nodes. */
  @SuppressWarnings("unchecked")
  static void assertOnlyNodesChanged(GenericKubernetesResource before, GenericKubernetesResource after) {
    Map<String, Object> specBefore = new java.util.HashMap<>((Map<String, Object>) before.get("spec"));
    Map<String, Object> specAfter = new java.util.HashMap<>((Map<String, Object>) after.get("spec"));
    Map<String, Object> agentsBefore = new java.util.HashMap<>((Map<String, Object>) specBefore.remove("agents"));
    Map<String, Object> agentsAfter = new java.util.HashMap<>((Map<String, Object>) specAfter.remove("agents"));
    agentsBefore.remove("nodes");
    agentsAfter.remove("nodes");
    assertThat(specAfter).isEqualTo(specBefore);
    assertThat(agentsAfter).isEqualTo(agentsBefore);
    assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(after.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
  }
}
