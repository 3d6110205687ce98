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
import io.conpaas.api.v1alpha1.SimulatedApiRate;
import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, batched launches on the simulated Cloud (RunInstances metered 5 burst / 2 per second, as
 * EC2): the 20 Agents of one service reach the launch step together and are started by one
 * createBatch call (two at most on a loaded machine), and not one Agent or service pass fails on the way. Before, each pass that was
 * rescheduled 1 ms after its own status patch read the informer's older copy, its patch carried that
 * copy's resourceVersion and failed with 409 (JOSDK retried it after 2 s, so Agents arrived apart and
 * were split over several calls); the simulated driver started VMs one call each.
 */
class SimulatedBatchLaunchIT {
  private static final int AGENTS = 20;

  @TempDir
  Path workDir;

  @Test
  void theAgentsOfOneServiceAreLaunchedByOneCallWithoutAFailedPass() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "simbatch");
    String cloudName = "simbatch-" + ns;
    Cloud cloud = new Cloud();
    cloud.setMetadata(new ObjectMetaBuilder().withName(cloudName).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.SIMULATED);
    SimulatedCloudSpec sim = new SimulatedCloudSpec();
    sim.setBootSeconds(1.0);
    sim.setDescribeLagSeconds(1.0);
    sim.setAgentPort(25556);
    SimulatedApiRate run = new SimulatedApiRate();
    run.setBurst(5.0);
    run.setPerSecond(2.0);
    sim.setApiRates(Map.of("RunInstances", run));
    spec.setSimulated(sim);
    cloud.setSpec(spec);
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(90), 3);
    CloudDriverFactory drivers = new CloudDriverFactory(workDir, TestOperator.agentLauncher());
    try (ConpaasOperator op = TestOperator.start(settings, drivers)) {
      client.resource(Fixtures.helloWorld(ns, "batch", "app", AGENTS, "batched hello")).create();
      await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("batch").get();
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
        assertThat(s.getStatus().getReady()).isEqualTo(AGENTS + "/" + AGENTS);
      });
      List<Agent> agents = client.resources(Agent.class).inNamespace(ns).list().getItems();
      assertThat(agents).hasSize(AGENTS)
          .allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running));
      assertThat(agents.stream().map(a -> a.getStatus().getInstanceId()).distinct()).hasSize(AGENTS);
      // One call for all (a second when a loaded machine spreads the Agents over two batch windows):
      // one call per VM would be 20, and 15 s at 2 per second.
      assertThat(calls(op, "createBatch")).isBetween(1L, 2L);
      assertThat(calls(op, "createBatch") + calls(op, "create")).isLessThanOrEqualTo(2L);
      assertThat(agents.stream().filter(a -> a.getStatus().getLaunchBatch() != null).count())
          .isGreaterThanOrEqualTo(AGENTS - 1L);
      // No pass failed: in particular no status write met a conflict (409).
      assertThat(errors(op, "Agent")).isZero();
      assertThat(errors(op, "HelloWorldService")).isZero();

      client.resources(HelloWorldService.class).inNamespace(ns).withName("batch").delete();
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
          assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty());
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
      drivers.close();
    }
  }

  private static long calls(ConpaasOperator op, String api) {
    return op.metrics().find("conpaas.cloud.api.calls").tag("api", api).timers().stream()
        .mapToLong(Timer::count).sum();
  }

  private static double errors(ConpaasOperator op, String kind) {
    return op.metrics().find("conpaas.reconcile.errors").tag("kind", kind).counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
