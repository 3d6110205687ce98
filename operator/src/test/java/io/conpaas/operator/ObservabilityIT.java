package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.Monitoring;
import io.conpaas.operator.testing.PrometheusServer;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.credits.CreditSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's dashboard and alerts against a real Prometheus scraping the real operator: after a
 * HelloWorldService of 2 agents runs on a local Cloud (in a namespace with a CreditAccount), every
 * dashboard query returns data and every alert rule loads and evaluates. On this healthy run every
 * alert is quiet for the test's Cloud and namespace (its full expression returns nothing about
 * them), so for each one the series it judges, its expression without the threshold, must return
 * data instead. A second, broken Cloud shows the Cloud alert's expression firing.
 */
class ObservabilityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String JOB = "conpaas-operator";

  @TempDir
  Path workDir;

  @TempDir
  Path prometheusDir;

  @Test
  void everyDashboardQueryAndAlertSeriesHasDataAfterAHelloWorldRun() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "metrics", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3)
          .withCredits(new CreditSettings(false, Duration.ofSeconds(1)));
      client.resource(CreditsIT.account(ns, 20)).create();
      try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir));
          HealthServer health = new HealthServer(0, () -> true, () -> true, op::scrapeMetrics)) {
        int port = health.start();
        try {
          observe(world, op, port);
        } finally {
          client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").delete();
          await().atMost(WAIT).until(() -> LocalVms.liveProcesses(workDir) == 0
              && client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get() == null);
          // While the operator runs, so that its finalizer lets the Cloud go (no debris for later runs).
          for (String cloud : List.of(world.cloud(), brokenCloud(world))) {
            client.resources(Cloud.class).withName(cloud).delete();
            await().atMost(WAIT).until(() -> client.resources(Cloud.class).withName(cloud).get() == null);
          }
        }
      }
    }
  }

  private void observe(LocalWorld world, ConpaasOperator op, int port) throws Exception {
    try (PrometheusServer prometheus = PrometheusServer.start(prometheusDir, JOB, "127.0.0.1:" + port,
        List.of(Monitoring.rulesFile()))) {
      // Prometheus watches from before the service exists, so boots and calls fall between scrapes.
      await().atMost(WAIT).until(() -> !prometheus.query("up{job=\"" + JOB + "\"} == 1").path("result").isEmpty());
      // A second Cloud whose work dir cannot be made (under a file): never Ready, its checks fail.
      Path file = Files.writeString(workDir.resolve("a-file"), "not a directory");
      world.client().resource(Fixtures.localCloud(brokenCloud(world), file.resolve("vms"))).create();
      world.helloWorld("hello", 2, "observed");
      world.awaitState("hello", ServiceState.RUNNING);
      Instant running = Instant.now();
      // A few scrapes and rule evaluations after RUNNING.
      await().atMost(WAIT).until(() -> {
        JsonNode r = prometheus.query("timestamp(up{job=\"" + JOB + "\"})").path("result");
        return !r.isEmpty() && r.get(0).path("value").get(0).asDouble() > running.getEpochSecond() + 3;
      });
      Files.writeString(Path.of("target/observability-scrape.txt"), op.scrapeMetrics());

      for (String query : Monitoring.dashboardQueries()) {
        JsonNode result = prometheus.query(query).path("result");
        assertThat(result).as("dashboard query %s", query).isNotEmpty();
        System.out.println("dashboard: " + query + " -> " + result);
      }
      // The boot time panel shows real boots of this run (finite, positive quantiles).
      JsonNode boot = prometheus.query(
          "histogram_quantile(0.5, sum by (le, cloud) (rate(conpaas_vm_boot_seconds_bucket[30m])))").path("result");
      assertThat(boot).anySatisfy(s -> {
        assertThat(s.path("metric").path("cloud").asText()).isEqualTo(world.cloud());
        assertThat(Double.parseDouble(s.path("value").get(1).asText())).isPositive().isFinite();
      });
      JsonNode creditsLeft = prometheus.query("conpaas_credits_remaining{namespace=\"" + world.namespace() + "\"}")
          .path("result");
      assertThat(creditsLeft).singleElement().satisfies(s -> assertThat(s.path("value").get(1).asText())
          .isEqualTo("18"));

      // The Cloud alert fires on the broken Cloud (its expression returns it; "for" delays only the
      // notification), and its failed checks show as verify errors.
      await().atMost(WAIT).untilAsserted(() -> assertThat(prometheus.query(
          Monitoring.alerts().get("ConpaasCloudNotReady")).path("result"))
          .anySatisfy(r -> assertThat(r.path("metric").path("cloud").asText()).isEqualTo(brokenCloud(world))));
      assertThat(prometheus.query("conpaas_cloud_api_errors_total{api=\"verify\",cloud=\"" + brokenCloud(world)
          + "\"} > 0").path("result")).isNotEmpty();

      Map<String, String> alerts = Monitoring.alerts();
      assertThat(alerts).containsOnlyKeys("ConpaasOperatorDown", "ConpaasCloudNotReady", "ConpaasAgentFailures",
          "ConpaasAgentReplacementsHigh", "ConpaasCreditsLow", "ConpaasReconcileErrors");
      for (Map.Entry<String, String> alert : alerts.entrySet()) {
        String series = Monitoring.series(alert.getValue());
        JsonNode data = prometheus.query(series).path("result");
        assertThat(data).as("series %s of alert %s", series, alert.getKey()).isNotEmpty();
        System.out.println("alert " + alert.getKey() + ": " + series + " -> " + data);
        // Quiet for this test's Cloud and namespace (the shared dev cluster may hold others' debris).
        assertThat(prometheus.query(alert.getValue()).path("result"))
            .as("alert %s is quiet on a healthy run", alert.getKey()).noneMatch(r -> concerns(r, world));
      }
      // Prometheus loaded every rule and evaluates it without error.
      JsonNode groups = prometheus.rules();
      assertThat(groups).isNotEmpty();
      for (JsonNode group : groups) {
        for (JsonNode rule : group.path("rules")) {
          assertThat(rule.path("health").asText()).as("rule %s: %s", rule.path("name").asText(),
              rule.path("lastError").asText()).isEqualTo("ok");
        }
      }
      assertThat(groups.get(0).path("rules")).hasSize(alerts.size());
    }
  }

  private static String brokenCloud(LocalWorld world) {
    return world.cloud() + "-broken";
  }

  /** A series about this test's Cloud or namespace, or about the operator as a whole (neither label). */
  private static boolean concerns(JsonNode series, LocalWorld world) {
    JsonNode labels = series.path("metric");
    return world.cloud().equals(labels.path("cloud").asText(world.cloud()))
        && world.namespace().equals(labels.path("namespace").asText(world.namespace()));
  }
}
