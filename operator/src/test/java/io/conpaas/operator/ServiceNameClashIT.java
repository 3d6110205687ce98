package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PhpService and a JavaService of one name in one namespace would want the same Agent names:
 * the second is refused with a message naming the first, and the first keeps its Agents.
 */
class ServiceNameClashIT {
  @TempDir
  Path workDir;

  @Test
  void theSecondServiceOfTheNameIsRefusedAndTheFirstKeepsItsAgents() throws java.io.IOException {
    // The web roles' worker user must reach the agents' directories (as root).
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "clash", workDir);
        ConpaasOperator op = TestOperator.start(TestOperator.settings(world.namespace(), workDir,
            Duration.ofSeconds(60), 1), TestOperator.localDrivers(workDir))) {
      String ns = world.namespace();
      PhpService php = client.resource(Fixtures.php(ns, "shop", LocalWorld.APP, 1)).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).hasSize(3));

      // More backends than the PhpService: the free names (shop-backend-1, -2) must not be taken either.
      JavaService java = Fixtures.java(ns, "shop", LocalWorld.APP);
      java.getSpec().getBackend().setNodes(3);
      client.resource(java).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JavaService refused = client.resources(JavaService.class).inNamespace(ns).withName("shop").get();
        assertThat(refused.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(refused.getStatus().getMessage()).contains("already belongs to PhpService shop")
            .contains("rename this JavaService");
      });
      assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).hasSize(3)
          .allSatisfy(a -> assertThat(a.getMetadata().getOwnerReferences()).singleElement()
              .satisfies(r -> assertThat(r.getUid()).isEqualTo(php.getMetadata().getUid())));

      client.resources(JavaService.class).inNamespace(ns).withName("shop").delete();
      client.resources(PhpService.class).inNamespace(ns).withName("shop").delete();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty());
    }
  }
}
