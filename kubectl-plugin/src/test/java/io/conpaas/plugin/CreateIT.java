package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** create against the real API server: server-side apply, refusal of duplicates, dry-run manifests. */
class CreateIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespaceWithApplication() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-create");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace(ns).build());
    app.setSpec(new ApplicationSpec());
    client.resource(app).create();
  }

  @AfterAll
  static void cleanUp() {
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void createsTheServiceWithServerSideApplyUnderTheKubectlConpaasFieldManager() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "helloworld", "hw", "--application", "demo", "--nodes", "2",
        "--message", "Hello, ConPaaS", "--cloud", "local-cloud");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("helloworldservice.conpaas.io/hw created\n");
    assertThat(r.err()).isEmpty();
    GenericKubernetesResource hw = TestObjects.hello(client, ns, "hw").get();
    assertThat((Object) hw.get("spec")).isEqualTo(Map.of("application", "demo", "cloud", "local-cloud",
        "agents", Map.of("nodes", 2), "message", "Hello, ConPaaS"));
    ManagedFieldsEntry applied = TestObjects.managedBy(hw, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(applied.getOperation()).isEqualTo("Apply");
    assertThat(hw.getMetadata().getManagedFields()).hasSize(1);
  }

  @Test
  void aPhpServiceStartsWithOneBackendWebServerAndProxy() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "php", "site", "--application", "demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("phpservice.conpaas.io/site created\n");
    GenericKubernetesResource site = TestObjects.web(client, ns, "PhpService", "site").get();
    assertThat((Object) site.get("spec")).isEqualTo(Map.of("application", "demo", "backend", Map.of("nodes", 1),
        "web", Map.of("nodes", 1), "proxy", Map.of("nodes", 1)));
    assertThat(TestObjects.managedBy(site, ServicePatcher.FIELD_MANAGER, "").orElseThrow().getOperation())
        .isEqualTo("Apply");
  }

  @Test
  void aSeleniumServiceStartsWithOneHubAndTheNodesAskedForAndIsListed() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "selenium", "grid", "--application", "demo", "--nodes", "2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("seleniumservice.conpaas.io/grid created\n");
    GenericKubernetesResource grid = client.genericKubernetesResources("conpaas.io/v1alpha1", "SeleniumService")
        .inNamespace(ns).withName("grid").get();
    assertThat((Object) grid.get("spec")).isEqualTo(Map.of("application", "demo", "nodes", Map.of("nodes", 2),
        "hub", Map.of("nodes", 1), "sessionsPerNode", 1));
    Plugin.Result list = Plugin.run("-n", ns, "list");
    assertThat(list.out()).containsPattern("SeleniumService +grid +demo");
    Plugin.Result hub = Plugin.run("-n", ns, "add-nodes", "grid", "1", "--role", "hub");
    assertThat(hub.exitCode()).isEqualTo(1);
    assertThat(hub.err()).contains("a Selenium service has exactly one hub");
    client.genericKubernetesResources("conpaas.io/v1alpha1", "SeleniumService").inNamespace(ns).withName("grid")
        .delete();
  }

  @Test
  void aJavaServiceManifestScalesItsBackendsAndTheServerAcceptsIt() {
    Plugin.Result r = Plugin.run("create", "java", "shop", "--application", "demo", "--nodes", "3", "--dry-run",
        "-o", "yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    GenericKubernetesResource manifest = Serialization.unmarshal(r.out(), GenericKubernetesResource.class);
    assertThat(manifest.getKind()).isEqualTo("JavaService");
    assertThat((Object) manifest.get("spec")).isEqualTo(Map.of("application", "demo",
        "backend", Map.of("nodes", 3), "web", Map.of("nodes", 1), "proxy", Map.of("nodes", 1)));
    Plugin.Result kubectl = Processes.run(List.of("kubectl", "--kubeconfig", DevCluster.kubeconfig(), "-n", ns,
        "apply", "--dry-run=server", "-f", "-"), Map.of(), r.out());
    assertThat(kubectl.exitCode()).as(kubectl.toString()).isZero();
    assertThat(kubectl.out()).contains("javaservice.conpaas.io/shop created (server dry run)");
  }

  @Test
  void refusesAServiceThatAlreadyExistsAndLeavesItAlone() {
    TestObjects.helloWorld(client, ns, "taken", 3);
    String version = TestObjects.hello(client, ns, "taken").get().getMetadata().getResourceVersion();

    Plugin.Result r = Plugin.run("-n", ns, "create", "HelloWorldService", "taken", "--application", "demo");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "error: helloworldservice/taken already exists in namespace '" + ns + "'");
    assertThat(TestObjects.hello(client, ns, "taken").get().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void dryRunCreatesNothingAndPrintsYamlThatTheServerAccepts() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "helloworld", "planned", "--application", "demo",
        "--nodes", "3", "--message", "from git", "--dry-run", "-o", "yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(TestObjects.hello(client, ns, "planned").get()).isNull();
    GenericKubernetesResource manifest = Serialization.unmarshal(r.out(), GenericKubernetesResource.class);
    assertThat(manifest.getApiVersion()).isEqualTo("conpaas.io/v1alpha1");
    assertThat(manifest.getKind()).isEqualTo("HelloWorldService");
    assertThat(manifest.getMetadata().getName()).isEqualTo("planned");
    assertThat(manifest.getMetadata().getNamespace()).isEqualTo(ns);
    assertThat((Object) manifest.get("spec")).isEqualTo(Map.of("application", "demo",
        "agents", Map.of("nodes", 3), "message", "from git"));

    Plugin.Result kubectl = Processes.run(List.of("kubectl", "--kubeconfig", DevCluster.kubeconfig(),
        "apply", "--dry-run=server", "-f", "-"), Map.of(), r.out());
    assertThat(kubectl.exitCode()).as(kubectl.toString()).isZero();
    assertThat(kubectl.out()).contains("helloworldservice.conpaas.io/planned created (server dry run)");
    assertThat(TestObjects.hello(client, ns, "planned").get()).isNull();
  }

  @Test
  void aDryRunWithoutNamespaceNamesNoneAndNeedsNoCluster() {
    Plugin.Result r = Plugin.runWithoutCluster(ServiceKinds.standard(), "--kubeconfig", "/nonexistent/kubeconfig",
        "create", "helloworld", "portable", "--application", "demo", "--dry-run", "-o", "yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    GenericKubernetesResource manifest = Serialization.unmarshal(r.out(), GenericKubernetesResource.class);
    assertThat(manifest.getMetadata().getNamespace()).isNull();
    assertThat((Object) manifest.get("spec", "agents", "nodes")).isEqualTo(1);

    Plugin.Result kubectl = Processes.run(List.of("kubectl", "--kubeconfig", DevCluster.kubeconfig(), "-n", ns,
        "apply", "--dry-run=server", "-f", "-"), Map.of(), r.out());
    assertThat(kubectl.exitCode()).as(kubectl.toString()).isZero();

    Plugin.Result json = Plugin.run("create", "helloworld", "portable", "--application", "demo", "--dry-run",
        "-o", "json");
    assertThat(Serialization.unmarshal(json.out(), GenericKubernetesResource.class).getKind())
        .isEqualTo("HelloWorldService");
    Plugin.Result text = Plugin.run("create", "helloworld", "portable", "--application", "demo", "--dry-run");
    assertThat(text.out()).isEqualTo("helloworldservice.conpaas.io/portable created (dry run)\n");
  }

  @Test
  void warnsWhenTheApplicationDoesNotExistYetButCreatesTheService() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "helloworld", "early", "--application", "later");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.errLines()).containsExactly("warning: Application 'later' does not exist in namespace '" + ns
        + "': the service reports ERROR until it does");
    assertThat(TestObjects.hello(client, ns, "early").get()).isNotNull();
  }

  @Test
  void badInputFailsInOneLineAndCreatesNothing() {
    Plugin.Result type = Plugin.run("-n", ns, "create", "scalarix", "web", "--application", "demo");
    assertThat(type.exitCode()).isEqualTo(1);
    assertThat(type.errLines()).containsExactly(
        "error: unknown service type 'scalarix'; known types: " + String.join(", ",
            io.conpaas.api.v1alpha1.KindRegistry.SERVICE_KINDS.stream().map(io.conpaas.api.v1alpha1.RegisteredKind::type)
                .toList()));

    Plugin.Result name = Plugin.run("-n", ns, "create", "helloworld", "Bad_Name", "--application", "demo");
    assertThat(name.exitCode()).isEqualTo(2);
    assertThat(name.errLines()).hasSize(1).first().asString().startsWith("error: service name 'Bad_Name' is not valid");

    Plugin.Result app = Plugin.run("-n", ns, "create", "helloworld", "noapp");
    assertThat(app.exitCode()).isEqualTo(2);
    assertThat(app.errLines()).containsExactly(
        "error: Missing required option: '--application=APP' (see 'kubectl conpaas create --help')");

    assertThat(client.genericKubernetesResources(TestObjects.HELLO).inNamespace(ns).list().getItems())
        .extracting(o -> o.getMetadata().getName()).doesNotContain("web", "Bad_Name", "noapp");
  }
}
