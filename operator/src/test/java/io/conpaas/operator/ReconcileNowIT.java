package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Reconcile now": setting the annotation conpaas.io/reconcile-requested-at on a settled service (which no
 * timer would reconcile) makes the operator reconcile it and its Agents at once, and on an Application;
 * status.lastReconcileRequest records it. The delays are measured and printed.
 */
class ReconcileNowIT {
  private static final Duration WITHIN = Duration.ofSeconds(1);

  @TempDir
  Path workDir;

  @Test
  void theAnnotationTriggersAReconcileWithinASecond() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "reconcile-now", workDir);
    String ns = world.namespace();
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir))) {
      world.helloWorld("hello", 2, "hi");
      world.awaitState("hello", ServiceState.RUNNING);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(client
          .resources(Application.class).inNamespace(ns).withName(LocalWorld.APP).get().getStatus().getState())
          .isEqualTo(ServiceState.RUNNING));
      // Settled: a RUNNING service and Application are reconciled again only by an event.
      for (int round = 1; round <= 3; round++) {
        String value = Instant.now().toString();
        long start = System.nanoTime();
        annotate(client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get(), client, value);
        Duration service = delayUntil(() -> client.resources(HelloWorldService.class).inNamespace(ns).withName("hello")
            .get().getStatus().getLastReconcileRequest(), value, start);
        Duration agents = delayUntil(() -> {
          List<Agent> all = client.resources(Agent.class).inNamespace(ns).list().getItems();
          return all.size() == 2 && all.stream().allMatch(a -> value.equals(a.getStatus().getLastReconcileRequest()))
              ? value : null;
        }, value, start);
        System.out.printf("reconcile-now round %d: service reconciled after %d ms, its 2 Agents after %d ms%n",
            round, service.toMillis(), agents.toMillis());
        assertThat(service).isLessThan(WITHIN);
        assertThat(agents).isLessThan(WITHIN);
        assertThat(client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get().getStatus()
            .getState()).isEqualTo(ServiceState.RUNNING);
      }

      String value = Instant.now().toString();
      long start = System.nanoTime();
      annotate(client.resources(Application.class).inNamespace(ns).withName(LocalWorld.APP).get(), client, value);
      Duration app = delayUntil(() -> client.resources(Application.class).inNamespace(ns).withName(LocalWorld.APP).get()
          .getStatus().getLastReconcileRequest(), value, start);
      System.out.printf("reconcile-now: Application reconciled after %d ms%n", app.toMillis());
      assertThat(app).isLessThan(WITHIN);

      client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0
          && client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get() == null);
    } finally {
      world.close();
    }
  }

  private static void annotate(HasMetadata object, KubernetesClient client, String value) {
    client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + ApiConstants.ANNOTATION_RECONCILE_REQUESTED_AT + "\":\"" + value
            + "\"}}}");
  }

  /** How long after start the supplier first gave the value (waits 10 s at most, polling every 10 ms). */
  private static Duration delayUntil(Supplier<String> recorded, String value, long start) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> value.equals(recorded.get()));
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
