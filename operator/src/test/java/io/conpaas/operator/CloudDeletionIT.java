package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.SwitchableDriver;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Cloud is not deleted while it still has VMs: it waits (finalizer, Ready says why) for the
 * Agents that use it and terminates VMs of ours no Agent claims, then goes. An Agent deleted while
 * its Cloud cannot be reached retries the release with a growing delay and says why, then goes
 * once the Cloud answers.
 */
class CloudDeletionIT {
  @TempDir
  Path workDir;

  @Test
  void aCloudWithVmsWaitsForThemThenGoes() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "clouddel", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      world.helloWorld("hw", 1, "still here");
      world.awaitState("hw", ServiceState.RUNNING);
      // A VM of ours that no Agent claims (e.g. left by a crash): the Cloud's deletion releases it too.
      VmObservation stray = TestOperator.localDriver(workDir).create(new VmRequest("stray-token", "stray",
          Map.of(VmTags.CLUSTER, settings.clusterId(), VmTags.NAMESPACE, ns, VmTags.AGENT_UID, "no-such-agent"), null,
          "{}".getBytes(StandardCharsets.UTF_8)));

      client.resources(Cloud.class).withName(world.cloud()).delete();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        Cloud c = client.resources(Cloud.class).withName(world.cloud()).get();
        assertThat(c.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(c.getStatus().getConditions()).anySatisfy(cond -> {
          assertThat(cond.getType()).isEqualTo("Ready");
          assertThat(cond.getReason()).isEqualTo("Deleting");
          assertThat(cond.getMessage()).contains("waiting for 1 Agent").contains(ns + "/hw-agents-0");
        });
      });
      // It keeps waiting while the service runs: its agent's VM is not stranded.
      Agent agent = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get();
      long pid = LocalVms.pid(workDir, agent.getStatus().getInstanceId()).orElseThrow();
      assertThat(client.resources(Cloud.class).withName(world.cloud()).get()).isNotNull();
      assertThat(LocalVms.alive(pid)).isTrue();

      client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(Cloud.class).withName(world.cloud()).get() == null);
      assertThat(LocalVms.alive(pid)).isFalse();
      assertThat(LocalVms.pid(workDir, stray.instanceId()).map(LocalVms::alive).orElse(false)).isFalse();
      assertThat(LocalVms.liveProcesses(workDir)).isZero();
    } finally {
      world.close();
    }
  }

  @Test
  void anAgentDeletedWhileItsCloudIsUnreachableRetriesWithBackoffThenGoes() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "reldown", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    SwitchableDriver driver = new SwitchableDriver(TestOperator.localDriver(workDir));
    try (ConpaasOperator op = TestOperator.start(settings, (c, creds) -> driver)) {
      world.helloWorld("hw", 1, "going");
      world.awaitState("hw", ServiceState.RUNNING);
      Agent agent = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get();
      long pid = LocalVms.pid(workDir, agent.getStatus().getInstanceId()).orElseThrow();

      driver.down.set(true);
      client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Agent a = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get();
        assertThat(a.getStatus().getMessage()).contains("cannot release VM").contains("Unreachable")
            .contains("next in");
        assertThat(a.getStatus().getReleaseFailures()).isGreaterThanOrEqualTo(3);
      });
      // The delay doubles: over 10 more seconds only a few more attempts, not one per poll.
      int failures = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get().getStatus()
          .getReleaseFailures();
      sleep(Duration.ofSeconds(10));
      int later = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get().getStatus()
          .getReleaseFailures();
      assertThat(later - failures).isBetween(0, 2);
      assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e ->
          assertThat(e.getReason()).isEqualTo("VmReleaseRetrying"));
      assertThat(LocalVms.alive(pid)).isTrue();

      driver.down.set(false);
      await().atMost(Duration.ofSeconds(90)).until(() ->
          client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get() == null);
      await().atMost(Duration.ofSeconds(20)).until(() -> !LocalVms.alive(pid));
    } finally {
      world.close();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
