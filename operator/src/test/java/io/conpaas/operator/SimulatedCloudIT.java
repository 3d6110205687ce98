package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * provider: simulated end to end: a service runs on simulated VMs whose agents the operator
 * bootstraps and configures over mutual TLS (RUNNING needs the configuration's hash back from each
 * agent); after an operator restart the same VMs are found again (their journal) and answer with
 * the keys they had, so nothing is created twice; scaling and deleting leave no VM behind.
 */
class SimulatedCloudIT {
  @TempDir
  Path workDir;

  @Test
  void aServiceRunsOnSimulatedVmsThatOutliveAnOperatorRestart() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "sim");
    String cloudName = "sim-" + ns;
    Cloud cloud = new Cloud();
    cloud.setMetadata(new ObjectMetaBuilder().withName(cloudName).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.SIMULATED);
    SimulatedCloudSpec sim = new SimulatedCloudSpec();
    sim.setBootSeconds(1.0);
    sim.setDescribeLagSeconds(2.0);
    sim.setAgentPort(25555);
    spec.setSimulated(sim);
    cloud.setSpec(spec);
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
    // Two operator "processes" one after the other, each with its own simulated clouds.
    CloudDriverFactory secondDrivers = new CloudDriverFactory(workDir, TestOperator.agentLauncher());
    try {
      List<String> before;
      CloudDriverFactory firstDrivers = new CloudDriverFactory(workDir, TestOperator.agentLauncher());
      try (ConpaasOperator first = TestOperator.start(settings, firstDrivers)) {
        client.resource(Fixtures.helloWorld(ns, "sim", "app", 3, "simulated hello")).create();
        awaitRunning(client, ns, "3/3");
        before = instanceIds(client, ns);
        assertThat(before).hasSize(3).doesNotContainNull();
        // Each agent was bootstrapped: its certificate is recorded, and its VM has its own address.
        assertThat(agents(client, ns)).allSatisfy(a -> {
          assertThat(a.getStatus().getTlsBootstrap().getCertificateNotAfter()).isNotBlank();
          assertThat(a.getStatus().getAgentEndpoint()).startsWith("127.").endsWith(":25555");
        });
        assertThat(agents(client, ns).stream().map(a -> a.getStatus().getAgentEndpoint()).distinct()).hasSize(3);
        assertThat(Files.exists(workDir.resolve(cloudName).resolve("vms.journal"))).isTrue();
      }

      // The process ends: its simulated agents stop; the VMs stay in the journal.
      firstDrivers.close();
      try (ConpaasOperator second = TestOperator.start(settings, secondDrivers)) {
        awaitRunning(client, ns, "3/3");
        assertThat(instanceIds(client, ns)).isEqualTo(before);
        assertThat(second.metrics().find("conpaas.vm.creations").counters()).allSatisfy(c ->
            assertThat(c.count()).isZero());

        client.resources(HelloWorldService.class).inNamespace(ns).withName("sim")
            .edit(s -> {
              s.getSpec().getAgents().setNodes(5);
              return s;
            });
        awaitRunning(client, ns, "5/5");
        assertThat(instanceIds(client, ns)).containsAll(before).hasSize(5);

        client.resources(HelloWorldService.class).inNamespace(ns).withName("sim").delete();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
          assertThat(agents(client, ns)).isEmpty();
          assertThat(client.resources(Cloud.class).withName(cloudName).get().getStatus().getInstances())
              .isZero();
        });
        client.resources(Cloud.class).withName(cloudName).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(Cloud.class).withName(cloudName).get()
            == null);
      }
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
      secondDrivers.close();
    }
  }

  private static void awaitRunning(KubernetesClient client, String ns, String ready) {
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
      HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("sim").get();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReady()).isEqualTo(ready);
      assertThat(agents(client, ns)).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running));
    });
  }

  private static List<Agent> agents(KubernetesClient client, String ns) {
    return client.resources(Agent.class).inNamespace(ns).list().getItems();
  }

  private static List<String> instanceIds(KubernetesClient client, String ns) {
    return agents(client, ns).stream().map(a -> a.getStatus().getInstanceId()).sorted().toList();
  }
}
