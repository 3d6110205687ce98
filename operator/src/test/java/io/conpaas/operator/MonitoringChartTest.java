package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.conpaas.operator.testing.Helm;
import io.conpaas.operator.testing.Monitoring;
import io.conpaas.testing.Kubectl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's monitoring objects: the PrometheusRule it renders passes Prometheus's own checker
 * (promtool, Debian package prometheus), the dashboard ConfigMap carries the dashboard file, and
 * all of it (and the PodMonitor) appears only when its value turns it on.
 */
class MonitoringChartTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir
  Path dir;

  @Test
  void theRenderedRulesPassPromtool() throws Exception {
    JsonNode rule = YAML.readTree(Helm.template("x", "ops", "--set", "monitoring.prometheusRule.enabled=true",
        "--show-only", "templates/prometheusrule.yaml"));
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    Path rendered = dir.resolve("rendered-rules.yaml");
    YAML.writeValue(rendered.toFile(), rule.path("spec"));

    Kubectl.Result check = promtool("check", "rules", rendered.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + Monitoring.alerts().size() + " rules found");
    assertThat(promtool("check", "rules", Monitoring.rulesFile().toString()).exitCode()).isZero();
    // Every alert has the form the ITs rely on to evaluate its series without the threshold.
    Monitoring.alerts().values().forEach(Monitoring::series);
  }

  @Test
  void promtoolRefusesABrokenRule() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum by (x (up)\n");
    Kubectl.Result check = promtool("check", "rules", broken.toString());
    assertThat(check.exitCode()).isNotZero();
    assertThat(check.output()).contains("FAILED");
  }

  @Test
  void theDashboardConfigMapCarriesTheDashboardFile() throws Exception {
    JsonNode map = YAML.readTree(Helm.template("x", "ops", "--set", "monitoring.dashboard.enabled=true",
        "--show-only", "templates/grafana-dashboard.yaml"));
    assertThat(map.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = new ObjectMapper().readTree(map.path("data").path("conpaas-operator.json").asText());
    assertThat(dashboard).isEqualTo(new ObjectMapper().readTree(Monitoring.dashboardFile().toFile()));
    assertThat(Monitoring.dashboardQueries()).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void thePodMonitorScrapesAsTheJobTheAlertsExpect() throws Exception {
    JsonNode monitor = YAML.readTree(Helm.template("x", "ops", "--set", "monitoring.podMonitor.enabled=true",
        "--show-only", "templates/podmonitor.yaml"));
    JsonNode endpoint = monitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http-probes");
    assertThat(endpoint.path("relabelings").get(0).path("replacement").asText()).isEqualTo("conpaas-operator");
    assertThat(Monitoring.alerts().get("ConpaasOperatorDown")).contains("job=\"conpaas-operator\"");
  }

  @Test
  void offByDefault() {
    String rendered = Helm.template("x", "ops");
    assertThat(rendered).doesNotContain("kind: PrometheusRule").doesNotContain("kind: PodMonitor")
        .doesNotContain("conpaas-operator.json");
  }

  private static Kubectl.Result promtool(String... args) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/promtool");
    assertThat(binary).as("promtool (Debian package prometheus, hack/install-deps.sh)").isExecutable();
    String[] cmd = new String[args.length + 1];
    cmd[0] = binary.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool timed out");
    }
    return new Kubectl.Result(p.exitValue(), out);
  }
}
