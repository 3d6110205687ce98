package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two operator replicas with leader election: one holds the Lease; the other takes over. */
class LeaderElectionIT {
  @TempDir
  Path workDir;

  @Test
  void theStandbyTakesOverWhenTheLeaderStops() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "leader", workDir);
    String ns = world.namespace();
    String lease = "conpaas-" + ns;
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    ConpaasOperator first = start(settings, lease, "first");
    ConpaasOperator second = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> "first".equals(holder(client, settings, lease)));
      second = start(settings, lease, "second");
      client.resource(Fixtures.helloWorld(ns, "one", "app", 1, "led")).create();
      world.awaitState("one", ServiceState.RUNNING);
      assertThat(holder(client, settings, lease)).isEqualTo("first");
      // The leader and the standby are both live: a standby must not be restarted by its probe.
      assertThat(first.livenessProblems()).isEmpty();
      assertThat(second.livenessProblems()).isEmpty();

      first.close();
      client.resource(Fixtures.helloWorld(ns, "two", "app", 1, "led again")).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> "second".equals(holder(client, settings, lease)));
      world.awaitState("two", ServiceState.RUNNING);

      client.resources(HelloWorldService.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0);
    } finally {
      if (second != null) {
        second.close();
      }
      world.close();
    }
  }

  private static ConpaasOperator start(OperatorSettings settings, String lease, String identity) {
    ConpaasOperator op = new ConpaasOperator(DevCluster.client(), settings,
        new LeaderElectionSettings(true, lease, identity, Duration.ofSeconds(4), Duration.ofSeconds(3),
            Duration.ofMillis(500), false),
        TestOperator.localDrivers(settings.localWorkDir()), Clock.systemUTC());
    op.start();
    return op;
  }

  private static String holder(KubernetesClient client, OperatorSettings settings, String lease) {
    Lease l = client.resources(Lease.class).inNamespace(settings.operatorNamespace()).withName(lease).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }
}
