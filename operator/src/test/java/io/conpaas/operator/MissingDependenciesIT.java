package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.testing.TestNamespace;
import io.conpaas.operator.testing.TestOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose Application or Cloud does not exist shows ERROR with a message saying which,
 * creates nothing, and reaches RUNNING once they appear (no crash loop, no user action).
 */
class MissingDependenciesIT {
  @TempDir
  Path workDir;

  @Test
  void errorNamesTheMissingApplicationThenCloudAndRecoversWhenTheyAppear() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "missing");
    String cloud = "late-" + ns;
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "early", "late-app", 1, "patience")).create();
      awaitError(client, ns, "Application late-app not found");

      client.resource(Fixtures.application(ns, "late-app", cloud)).create();
      awaitError(client, ns, "Cloud " + cloud + " not found");
      assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty();
      HelloWorldService s = get(client, ns);
      assertThat(s.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo(ConditionTypes.DEGRADED);
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage()).contains("not found");
      });

      client.resource(Fixtures.localCloud(cloud, workDir)).create();
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
          assertThat(get(client, ns).getStatus().getState()).isEqualTo(ServiceState.RUNNING));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Application app = client.resources(Application.class).inNamespace(ns).withName("late-app").get();
        assertThat(app.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
        assertThat(app.getStatus().getServices()).singleElement()
            .satisfies(r -> assertThat(r.getName()).isEqualTo("early"));
      });

      client.resources(HelloWorldService.class).inNamespace(ns).withName("early").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> get(client, ns) == null);
    } finally {
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }

  private static void awaitError(KubernetesClient client, String ns, String message) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      HelloWorldService s = get(client, ns);
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(s.getStatus().getMessage()).contains(message);
    });
  }

  private static HelloWorldService get(KubernetesClient client, String ns) {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName("early").get();
  }
}
