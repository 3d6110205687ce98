package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** usage against the real API server: kind, roles, scale role and the commands that apply. */
class UsageIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void service() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-usage");
    TestObjects.helloWorld(client, ns, "hw", 2);
    TestObjects.helloWorldStatus(client, ns, "hw", "RUNNING", 2, 2, null);
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void showsKindRolesScaleRoleSettingsAndCommands() {
    Plugin.Result r = Plugin.run("-n", ns, "usage", "hw");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("helloworldservice/hw in namespace " + ns
            + ": ConPaaS type helloworld, kind HelloWorldService (helloworldservices.conpaas.io)\n"
            + "application: demo, state: RUNNING\n")
        .contains("settings: spec.message")
        .contains("kubectl conpaas -n " + ns + " add-nodes hw [--role agents] [--cloud CLOUD] N")
        .contains("kubectl conpaas -n " + ns + " remove-nodes hw [--role agents] N")
        .contains("kubectl conpaas -n " + ns + " terminate hw")
        .contains("kubectl -n " + ns + " scale helloworldservice/hw --replicas=N")
        .doesNotContain("upload-code").doesNotContain("toggle-debug").doesNotContain("code:");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
        .containsExactly("agents", "2", "2/2", "-", "yes"));
  }

  @Test
  void anUnknownServiceFailsInOneLine() {
    Plugin.Result r = Plugin.run("-n", ns, "usage", "helloworld/nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1).first().asString().startsWith("error: service 'helloworld/nope' not found");
    Plugin.Result type = Plugin.run("-n", ns, "usage", "scalarix/db");
    assertThat(type.errLines()).containsExactly(
        "error: unknown service type 'scalarix'; known types: " + String.join(", ",
            io.conpaas.api.v1alpha1.KindRegistry.SERVICE_KINDS.stream().map(io.conpaas.api.v1alpha1.RegisteredKind::type)
                .toList()));
  }

  @Test
  void aPhpServiceShowsItsThreeRolesItsCodeAndDebugAndTheCommandsForThem() {
    TestObjects.webService(client, ns, "PhpService", "web", "v2");
    TestObjects.codeStatus(client, ns, "PhpService", "web", "v1", null,
        TestObjects.version("v1", 10, "2026-11-01T10:00:00Z", "upload"),
        TestObjects.version("v2", 20, "2026-11-02T10:00:00Z", "upload"));

    Plugin.Result r = Plugin.run("-n", ns, "usage", "web");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    String k = "kubectl conpaas -n " + ns + " ";
    assertThat(r.out()).startsWith("phpservice/web in namespace " + ns
            + ": ConPaaS type php, kind PhpService (phpservices.conpaas.io)\n")
        .contains("code: serving v1, spec.code.activeVersion v2, 2 versions\n")
        .contains("debug: off (spec.debug)\n")
        .contains(k + "add-nodes web [--role backend|web|proxy] [--cloud CLOUD] N")
        .contains(k + "upload-code web FILE [--version VERSION] [--activate] [--timeout 60s]")
        .contains(k + "versions web\n")
        .contains(k + "activate web VERSION\n")
        .contains(k + "toggle-debug web [--on|--off]\n")
        .contains("kubectl -n " + ns + " scale phpservice/web --replicas=N   (sets backend nodes)");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
            .containsExactly("backend", "2", "0/2", "-", "yes"))
        .anySatisfy(l -> assertThat(l.split(" {3,}")).containsExactly("proxy", "1", "0/1", "edge", "no"));

    TestObjects.webService(client, ns, "JavaService", "api", null);
    Plugin.Result java = Plugin.run("-n", ns, "usage", "java/api");
    assertThat(java.out()).contains("code: serving -, spec.code.activeVersion -, 0 versions")
        .contains(k + "upload-code api FILE").doesNotContain("toggle-debug").doesNotContain("debug:");
  }
}
