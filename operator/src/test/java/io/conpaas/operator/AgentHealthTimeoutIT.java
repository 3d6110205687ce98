package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.operator.testing.CountingDriver;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that never answers its health check: each VM is terminated after healthTimeout and
 * retried on a new one, at most maxAttempts times; then the Agent fails and the service shows
 * ERROR with a message.
 */
class AgentHealthTimeoutIT {
  @TempDir
  Path workDir;

  @Test
  void aSilentAgentIsRetriedMaxAttemptsTimesThenTheServiceShowsError() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "silent", workDir);
    String ns = world.namespace();
    // A "VM" that boots but whose agent never listens.
    CountingDriver driver = new CountingDriver(new LocalDriver(workDir, contextFile -> List.of(
        "python3", "-c", "import time; time.sleep(600)", contextFile.toString())));
    try (ConpaasOperator op = TestOperator.start(
        TestOperator.settings(ns, workDir, Duration.ofSeconds(3), 2), (c, creds) -> driver)) {
      client.resource(Fixtures.helloWorld(ns, "mute", "app", 1, "unheard")).create();

      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("mute").get();
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(s.getStatus().getMessage()).contains("mute-agents-0").contains("did not answer within 3s")
            .contains("gave up after 2 attempts");
      });
      Agent agent = client.resources(Agent.class).inNamespace(ns).withName("mute-agents-0").get();
      assertThat(agent.getStatus().getPhase()).isEqualTo(AgentPhase.Failed);
      assertThat(agent.getStatus().getAttempts()).isEqualTo(2);
      // Exactly two VMs were tried, and both were released.
      assertThat(driver.created).hasSize(2);
      // Terminations go out in the next bulk call, a moment later.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(driver.terminated).containsAll(driver.created));
      await().atMost(Duration.ofSeconds(20)).until(() -> LocalVms.liveProcesses(workDir) == 0);

      client.resources(HelloWorldService.class).inNamespace(ns).withName("mute").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(HelloWorldService.class).inNamespace(ns).withName("mute").get() == null);
    } finally {
      world.close();
    }
  }
}
