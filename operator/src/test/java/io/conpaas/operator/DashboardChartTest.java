package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.conpaas.operator.testing.Helm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart's in-cluster dashboard (dashboard.enabled): off by default; when on, a Deployment running
 * {@code kubectl-conpaas.jar dashboard --in-cluster} with NO credentials of its own (its ServiceAccount bound
 * to nothing, no token mounted, no Secret, only the API server's CA), and a Service in front of it.
 */
class DashboardChartTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void nothingOfTheDashboardIsRenderedByDefault() throws IOException {
    assertThat(objects(Helm.template("x", "ops"))).noneMatch(o -> o.path("metadata").path("name").asText()
        .equals("x-dashboard"));
  }

  @Test
  void whenEnabledItRunsTheInClusterModeWithoutAnyCredentialsOfItsOwn() throws IOException {
    List<JsonNode> all = objects(Helm.template("x", "ops", "--set", "dashboard.enabled=true",
        "--set", "dashboard.publicOrigin=https://dash.example.org", "--set", "watchNamespaces={team-a}"));
    JsonNode sa = one(all, "ServiceAccount", "x-dashboard");
    assertThat(sa.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode deployment = one(all, "Deployment", "x-dashboard");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("x-dashboard");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode container = pod.path("containers").get(0);
    assertThat(YAML.convertValue(container.path("command"), List.class)).contains("/opt/conpaas/kubectl-conpaas.jar",
        "dashboard", "--in-cluster", "--ca-file=/etc/conpaas-dashboard/ca/ca.crt",
        "--public-origin=https://dash.example.org");
    assertThat(container.has("env")).as("no settings, let alone secrets, in its environment").isFalse();
    assertThat(container.has("envFrom")).isFalse();
    for (JsonNode v : pod.path("volumes")) {
      assertThat(v.has("secret") || v.has("projected")).as("volume " + v).isFalse();
      if (v.has("configMap")) {
        assertThat(v.path("configMap").path("name").asText()).isEqualTo("kube-root-ca.crt");
      }
    }
    for (JsonNode o : all) {
      String kind = o.path("kind").asText();
      if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
        for (JsonNode subject : o.path("subjects")) {
          assertThat(subject.path("name").asText()).as(kind + " " + o.path("metadata").path("name").asText())
              .isNotEqualTo("x-dashboard");
        }
      }
    }
    JsonNode service = one(all, "Service", "x-dashboard");
    assertThat(service.path("spec").path("selector")).isEqualTo(deployment.path("spec").path("selector")
        .path("matchLabels"));
    assertThat(((ObjectNode) service.path("spec").path("selector")).path("app.kubernetes.io/name").asText())
        .as("not the operator's Pods").isEqualTo("conpaas-dashboard");
  }

  private static JsonNode one(List<JsonNode> all, String kind, String name) {
    return all.stream().filter(o -> o.path("kind").asText().equals(kind)
        && o.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<JsonNode> objects(String rendered) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (YAMLParser p = new YAMLFactory().createParser(rendered)) {
      for (var it = YAML.readValues(p, JsonNode.class); it.hasNext(); ) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }
}
