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
        .contains("kubectl -n " + ns + " scale helloworldservice/hw --replicas=N");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
        .containsExactly("agents", "2", "2/2", "-", "yes"));
  }

  @Test
  void anUnknownServiceFailsInOneLine() {
    Plugin.Result r = Plugin.run("-n", ns, "usage", "helloworld/nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1).first().asString().startsWith("error: service 'helloworld/nope' not found");
    Plugin.Result type = Plugin.run("-n", ns, "usage", "mysql/db");
    assertThat(type.errLines()).containsExactly("error: unknown service type 'mysql'; known types: helloworld");
  }
}
