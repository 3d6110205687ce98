package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list against the real API server: what exists, with state, ready per role and endpoint. */
class ListIT {
  static KubernetesClient client;
  static String ns;
  static String emptyNs;

  @BeforeAll
  static void services() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-list");
    emptyNs = TestNamespace.create(client, "plugin-list-empty");
    TestObjects.helloWorld(client, ns, "alpha", 2);
    TestObjects.helloWorldStatus(client, ns, "alpha", "RUNNING", 2, 2, "http://203.0.113.7/");
    TestObjects.helloWorld(client, ns, "beta", 3);
    TestObjects.helloWorldStatus(client, ns, "beta", "ADAPTING", 1, 3, null);
    TestObjects.helloWorld(client, ns, "gamma", 1);
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
    TestObjects.cleanUp(client, emptyNs);
  }

  @Test
  void listsEveryServiceWithStateReadyAgentsPerRoleAndEndpoint() {
    Plugin.Result r = Plugin.run("-n", ns, "list");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    List<List<String>> rows = r.out().lines().map(l -> List.of(l.split(" {3,}"))).toList();
    assertThat(rows).containsExactly(
        List.of("KIND", "NAME", "APPLICATION", "STATE", "READY", "ENDPOINT"),
        List.of("HelloWorldService", "alpha", "demo", "RUNNING", "agents 2/2", "http://203.0.113.7/"),
        List.of("HelloWorldService", "beta", "demo", "ADAPTING", "agents 1/3", "-"),
        List.of("HelloWorldService", "gamma", "demo", "-", "agents 0/1", "-"));
  }

  @Test
  void theNamespaceOptionWorksBeforeOrAfterTheCommand() {
    assertThat(Plugin.run("list", "--namespace", ns).out()).contains("alpha");
    assertThat(Plugin.run("list", "-n", emptyNs).out()).doesNotContain("alpha");
  }

  @Test
  void withoutNamespaceOptionTheKubeconfigContextsNamespaceIsUsed(@TempDir Path dir) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.copy(Path.of(DevCluster.kubeconfig()), kubeconfig);
    Plugin.Result set = Processes.run(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "config",
        "set-context", "--current", "--namespace=" + ns), Map.of(), null);
    assertThat(set.exitCode()).as(set.toString()).isZero();

    Plugin.Result r = Plugin.runWithoutCluster(ServiceKinds.standard(), "--kubeconfig", kubeconfig.toString(), "list");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("alpha").contains("beta");
    Plugin.Result other = Plugin.runWithoutCluster(ServiceKinds.standard(), "--kubeconfig", kubeconfig.toString(),
        "list", "-n", emptyNs);
    assertThat(other.out()).doesNotContain("alpha");
  }

  @Test
  void printsTheObjectsAsYamlOrJsonLists() {
    for (String format : new String[] {"yaml", "json"}) {
      Plugin.Result r = Plugin.run("-n", ns, "list", "-o", format);

      assertThat(r.exitCode()).as(r.toString()).isZero();
      KubernetesList list = Serialization.unmarshal(r.out(), KubernetesList.class);
      assertThat(list.getItems()).extracting(o -> o.getMetadata().getName()).containsExactly("alpha", "beta", "gamma");
      GenericKubernetesResource alpha = (GenericKubernetesResource) list.getItems().get(0);
      assertThat((Object) alpha.get("status", "state")).isEqualTo("RUNNING");
      assertThat(alpha.getMetadata().getManagedFields()).isNullOrEmpty();
    }
  }

  @Test
  void anEmptyNamespaceSaysSoOnStderrAndSucceeds() {
    Plugin.Result r = Plugin.run("-n", emptyNs, "list");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("No services found in namespace " + emptyNs + ".");
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    Plugin.Result r = Plugin.run("list", "-A");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow().split(" {3,}"))
        .containsExactly("NAMESPACE", "KIND", "NAME", "APPLICATION", "STATE", "READY", "ENDPOINT");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
        .containsExactly(ns, "HelloWorldService", "beta", "demo", "ADAPTING", "agents 1/3", "-"));
  }
}
