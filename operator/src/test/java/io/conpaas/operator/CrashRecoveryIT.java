package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.operator.testing.CrashAfterCreateDriver;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator stops after the cloud created a VM but before the VM's id reached the Agent's
 * status; the restarted operator adopts that VM by its recorded client token instead of
 * creating a second one.
 */
class CrashRecoveryIT {
  @TempDir
  Path workDir;

  @Test
  void aRestartBetweenCreateAndStatusLeavesExactlyOneVm() throws Exception {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "crash", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    IaasDriver real = TestOperator.localDriver(workDir);
    CrashAfterCreateDriver crashing = new CrashAfterCreateDriver(real);
    try {
      ConpaasOperator first = TestOperator.start(settings, (c, creds) -> crashing);
      client.resource(Fixtures.helloWorld(ns, "phoenix", "app", 1, "back again")).create();
      assertThat(crashing.created.await(60, TimeUnit.SECONDS)).isTrue();
      first.close();
      crashing.release.countDown();

      Agent before = client.resources(Agent.class).inNamespace(ns).withName("phoenix-agents-0").get();
      assertThat(before.getStatus().getClientToken()).as("token recorded before the cloud call").isNotBlank();
      assertThat(before.getStatus().getInstanceId()).as("the crash hid the VM's id").isNull();
      assertThat(real.list(settings.clusterId())).hasSize(1);

      try (ConpaasOperator second = TestOperator.start(settings, (c, creds) -> real)) {
        world.awaitState("phoenix", ServiceState.RUNNING);
        List<VmObservation> vms = real.list(settings.clusterId());
        Agent after = client.resources(Agent.class).inNamespace(ns).withName("phoenix-agents-0").get();
        assertThat(vms).hasSize(1);
        assertThat(vms.get(0).instanceId()).isEqualTo(after.getStatus().getInstanceId());
        assertThat(vms.get(0).clientToken()).isEqualTo(before.getStatus().getClientToken());
        assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(1);

        client.resources(HelloWorldService.class).inNamespace(ns).withName("phoenix").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0
            && client.resources(HelloWorldService.class).inNamespace(ns).withName("phoenix").get() == null);
      }
    } finally {
      crashing.release.countDown();
      world.close();
    }
  }

  @Test
  void aRestartedOperatorAdoptsRunningAgentsWithoutNewVms() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "restart", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    IaasDriver real = TestOperator.localDriver(workDir);
    try {
      List<String> before;
      try (ConpaasOperator first = TestOperator.start(settings, (c, creds) -> real)) {
        client.resource(Fixtures.helloWorld(ns, "steady", "app", 2, "still here")).create();
        world.awaitState("steady", ServiceState.RUNNING);
        before = instanceIds(client, ns);
      }
      // The operator is gone; its VMs are not.
      assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(2);

      try (ConpaasOperator second = TestOperator.start(settings, (c, creds) -> real)) {
        // The new operator keeps checking the agents (status is patched by it) ...
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            client.resources(Agent.class).inNamespace(ns).list().getItems())
            .allSatisfy(a -> assertThat(a.getStatus().getConditions()).anySatisfy(c ->
                assertThat(java.time.Instant.parse(c.getLastTransitionTime())).isNotNull())));
        world.awaitState("steady", ServiceState.RUNNING);
        // ... on the same VMs: nothing was created again.
        assertThat(instanceIds(client, ns)).isEqualTo(before);
        assertThat(real.list(settings.clusterId())).hasSize(2);
        assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(2);
        assertThat(second.metrics().find("conpaas.vm.creations").counters()).allSatisfy(c ->
            assertThat(c.count()).isZero());

        client.resources(HelloWorldService.class).inNamespace(ns).withName("steady").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0);
      }
    } finally {
      world.close();
    }
  }

  private static List<String> instanceIds(KubernetesClient client, String ns) {
    return client.resources(Agent.class).inNamespace(ns).list().getItems().stream()
        .map(a -> a.getStatus().getInstanceId()).sorted().toList();
  }
}
