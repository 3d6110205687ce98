package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.cloud.DriverFactory;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operators scoped to two namespaces in one cluster (two installs, or two test worlds), each
 * with its own simulated Cloud, and one Cloud both use: once Agents use them, neither writes the
 * status of the other's Cloud, and the shared Cloud's status has one writer (the install of the
 * first namespace by name) instead of flip-flopping between their counts every resync (2 s here).
 * (While no Agent uses an open Cloud every install looks after it: a new Cloud shows its readiness.)
 */
class CloudStatusScopeIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** Four Cloud resyncs of both operators. */
  private static final Duration QUIET = Duration.ofSeconds(8);

  @TempDir
  Path workDir;

  @Test
  void eachOperatorWritesOnlyTheCloudsItsNamespacesUseAndASharedCloudHasOneWriter() {
    KubernetesClient client = DevCluster.client();
    // "csa-..." sorts before "csb-...": the first install writes the shared Cloud's status.
    String nsA = TestNamespace.create(client, "csa");
    String nsB = TestNamespace.create(client, "csb");
    String simA = "sim-" + nsA;
    String simB = "sim-" + nsB;
    String shared = "simshared-" + nsA;
    Path workA = workDir.resolve("a");
    Path workB = distinctAddressBlock(workA, shared);
    Map<String, Set<String>> built = Map.of(nsA, ConcurrentHashMap.newKeySet(), nsB, ConcurrentHashMap.newKeySet());
    List<String> clouds = List.of(simA, simB, shared);
    try {
      client.resource(simulatedCloud(simA, 25611)).create();
      client.resource(simulatedCloud(simB, 25612)).create();
      client.resource(simulatedCloud(shared, 25613)).create();
      client.resource(Fixtures.application(nsA, "app", simA)).create();
      client.resource(Fixtures.application(nsB, "app", simB)).create();
      try (ConpaasOperator opA = TestOperator.start(TestOperator.settings(nsA, workA, Duration.ofSeconds(60), 3),
               recording(workA, built.get(nsA)));
           ConpaasOperator opB = TestOperator.start(TestOperator.settings(nsB, workB, Duration.ofSeconds(60), 3),
               recording(workB, built.get(nsB)))) {
        try {
          client.resource(Fixtures.helloWorld(nsA, "own", "app", 1, "a")).create();
          client.resource(onCloud(Fixtures.helloWorld(nsA, "sh", "app", 1, "a shared"), shared)).create();
          client.resource(Fixtures.helloWorld(nsB, "own", "app", 1, "b")).create();
          client.resource(onCloud(Fixtures.helloWorld(nsB, "sh", "app", 2, "b shared"), shared)).create();
          awaitRunning(client, nsA, "own", "1/1");
          awaitRunning(client, nsA, "sh", "1/1");
          awaitRunning(client, nsB, "own", "1/1");
          awaitRunning(client, nsB, "sh", "2/2");
          // Each operator counts the VMs of its own cluster id: the shared Cloud has 1 of A's and 2 of B's.
          // Settled once a resync after every Agent ran has counted them (all 3 on the shared one).
          await().atMost(WAIT).untilAsserted(() -> {
            assertThat(instances(client, simA)).isEqualTo(1);
            assertThat(instances(client, simB)).isEqualTo(1);
            assertThat(instances(client, shared)).isEqualTo(1);
            assertThat(unreachableMessage(client, simA)).startsWith("0 of 1 agents");
            assertThat(unreachableMessage(client, simB)).startsWith("0 of 1 agents");
            assertThat(unreachableMessage(client, shared)).startsWith("0 of 3 agents");
          });

          // Several resyncs of both: nobody writes any of the three (no flip-flop, no rewrite of the same).
          Map<String, String> versions = resourceVersions(client, clouds);
          await().pollDelay(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> assertThat(
              resourceVersions(client, clouds)).isEqualTo(versions));
          assertThat(instances(client, shared)).isEqualTo(1);

          // Each opened its own and the shared Cloud (the other's too while nothing used it yet).
          assertThat(built.get(nsA)).contains(simA, shared);
          assertThat(built.get(nsB)).contains(simB, shared);
        } finally {
          // While both operators run, so every Agent's VM is released (also after a failure).
          client.resources(HelloWorldService.class).inNamespace(nsA).delete();
          client.resources(HelloWorldService.class).inNamespace(nsB).delete();
          await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.resources(Agent.class).inNamespace(nsA).list().getItems()).isEmpty();
            assertThat(client.resources(Agent.class).inNamespace(nsB).list().getItems()).isEmpty();
          });
        }
        clouds.forEach(c -> client.resources(Cloud.class).withName(c).delete());
        await().atMost(Duration.ofSeconds(60)).until(() -> clouds.stream()
            .allMatch(c -> client.resources(Cloud.class).withName(c).get() == null));
      }
    } finally {
      clouds.forEach(c -> client.resources(Cloud.class).withName(c).delete());
      factories.forEach(CloudDriverFactory::close);
    }
  }

  /** The driver factories the test made: closed at its end (their simulated clouds' agents stop). */
  private final java.util.List<CloudDriverFactory> factories = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The production factory, noting every Cloud it builds a driver for. */
  private DriverFactory recording(Path work, Set<String> names) {
    CloudDriverFactory real = new CloudDriverFactory(work, TestOperator.agentLauncher());
    factories.add(real);
    TestOperator.trackWorkDir(work);
    return (cloud, creds) -> {
      names.add(cloud.getMetadata().getName());
      return real.create(cloud, creds);
    };
  }

  /**
   * B's work dir, chosen so that its copy of the shared simulated Cloud gets other VM addresses than
   * A's (both copies live in this JVM and serve agents on the same port; the block is derived from
   * the Cloud's state dir as SimulatedCloud does).
   */
  private static Path distinctAddressBlock(Path workA, String cloud) {
    int blockA = block(workA.resolve(cloud));
    for (int i = 0; ; i++) {
      Path candidate = workA.resolveSibling("b" + i);
      if (block(candidate.resolve(cloud)) != blockA) {
        return candidate;
      }
    }
  }

  private static int block(Path stateDir) {
    return Math.floorMod(stateDir.toAbsolutePath().normalize().toString().hashCode(), 200);
  }

  private static Cloud simulatedCloud(String name, int agentPort) {
    Cloud cloud = new Cloud();
    cloud.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.SIMULATED);
    SimulatedCloudSpec sim = new SimulatedCloudSpec();
    sim.setBootSeconds(0.5);
    sim.setDescribeLagSeconds(0.0);
    sim.setAgentPort(agentPort);
    spec.setSimulated(sim);
    cloud.setSpec(spec);
    return cloud;
  }

  private static HelloWorldService onCloud(HelloWorldService s, String cloud) {
    s.getSpec().setCloud(cloud);
    return s;
  }

  private static void awaitRunning(KubernetesClient client, String ns, String name, String ready) {
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReady()).isEqualTo(ready);
    });
  }

  private static Integer instances(KubernetesClient client, String cloud) {
    Cloud c = client.resources(Cloud.class).withName(cloud).get();
    return c.getStatus() == null ? null : c.getStatus().getInstances();
  }

  private static String unreachableMessage(KubernetesClient client, String cloud) {
    Cloud c = client.resources(Cloud.class).withName(cloud).get();
    return c.getStatus() == null ? "" : c.getStatus().getConditions().stream()
        .filter(x -> ConditionTypes.AGENTS_UNREACHABLE.equals(x.getType())).map(x -> x.getMessage())
        .findFirst().orElse("");
  }

  /** Each Cloud's resourceVersion with its count and condition messages (to say what changed). */
  private static Map<String, String> resourceVersions(KubernetesClient client, List<String> clouds) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String name : clouds) {
      Cloud c = client.resources(Cloud.class).withName(name).get();
      versions.put(name, c.getMetadata().getResourceVersion() + " " + (c.getStatus() == null ? "-"
          : c.getStatus().getInstances() + " " + c.getStatus().getConditions().stream()
              .map(x -> x.getType() + "=" + x.getStatus() + ": " + x.getMessage()).toList()));
    }
    return versions;
  }
}
