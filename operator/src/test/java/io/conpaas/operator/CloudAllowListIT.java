package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud spec.allowedNamespaces and spec.allowedInstanceTypes: a service of another namespace, or
 * a role naming another instance type, shows ERROR naming the Cloud and the rule and starts no
 * VM; once the Cloud admits it, it runs.
 */
class CloudAllowListIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path workDir;

  @Test
  void aCloudRefusesNamespacesAndInstanceTypesItDoesNotAllow() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "allow");
    String cloudName = "team-a-" + ns;
    Cloud cloud = Fixtures.localCloud(cloudName, workDir);
    cloud.getSpec().setAllowedNamespaces(List.of("team-a"));
    cloud.getSpec().setAllowedInstanceTypes(List.of("small"));
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir))) {
      HelloWorldService web = Fixtures.helloWorld(ns, "web", "app", 1, "elsewhere");
      web.getSpec().getAgents().setInstanceType("huge");
      client.resource(web).create();
      awaitError(client, ns, "web", "role agents: Cloud " + cloudName + " does not allow namespace " + ns
          + " (spec.allowedNamespaces: team-a)");
      assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).as("no VM").isEmpty();

      // The Cloud's owner admits the namespace; the role's instance type is still refused.
      client.resources(Cloud.class).withName(cloudName).edit(c -> {
        c.getSpec().setAllowedNamespaces(List.of("team-a", ns));
        return c;
      });
      awaitError(client, ns, "web", "role agents: Cloud " + cloudName + " does not allow instance type huge "
          + "(spec.allowedInstanceTypes: small)");
      assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).as("no VM").isEmpty();

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").edit(s -> {
        s.getSpec().getAgents().setInstanceType("small");
        return s;
      });
      await().atMost(WAIT).untilAsserted(() -> assertThat(service(client, ns, "web").getStatus().getState())
          .isEqualTo(ServiceState.RUNNING));

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").delete();
      await().atMost(WAIT).until(() -> service(client, ns, "web") == null);
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  @Test
  void emptyEntriesAreRejectedByTheApiServer() throws Exception {
    Path file = workDir.resolve("cloud.yaml");
    Files.writeString(file, "apiVersion: conpaas.io/v1alpha1\nkind: Cloud\nmetadata: {name: empty-entries}\n"
        + "spec: {provider: local, allowedNamespaces: [\"\"], allowedInstanceTypes: [\"\"]}\n");
    Kubectl.Result r = Kubectl.run("apply", "--dry-run=server", "-f", file.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("spec.allowedNamespaces").contains("each entry must be a namespace name")
        .contains("spec.allowedInstanceTypes").contains("entries must not be empty");
    assertThat(Kubectl.ok("explain", "cloud.spec.allowedInstanceTypes")).contains("Instance types a role may name");
  }

  private static void awaitError(KubernetesClient client, String ns, String name, String message) {
    await().atMost(WAIT).untilAsserted(() -> {
      HelloWorldService s = service(client, ns, name);
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(s.getStatus().getMessage()).contains(message);
    });
  }

  private static HelloWorldService service(KubernetesClient client, String ns, String name) {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
  }
}
