package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.conpaas.operator.testing.Helm;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The chart never lets two operators act at once: leader election is on by default (a `helm upgrade`
 * starts the new Pod before the old one stops), and without it the Deployment is recreated rather than
 * rolled, and more than one replica is refused. e2e-helm once lost a service to exactly that overlap.
 */
class OperatorDeploymentChartTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void byDefaultTheOperatorTakesTheLeaseSoAnUpgradeNeverRunsTwoOperators() throws IOException {
    JsonNode deployment = operatorDeployment(Helm.template("x", "ops"));
    assertThat(env(deployment, "CONPAAS_LEADER_ELECTION")).isEqualTo("true");
    assertThat(deployment.path("spec").path("strategy").path("type").asText("RollingUpdate"))
        .isEqualTo("RollingUpdate");
  }

  @Test
  void withoutLeaderElectionTheOldPodStopsBeforeTheNewOneStarts() throws IOException {
    JsonNode deployment = operatorDeployment(Helm.template("x", "ops", "--set", "leaderElection.enabled=false"));
    assertThat(env(deployment, "CONPAAS_LEADER_ELECTION")).isEqualTo("false");
    assertThat(deployment.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Helm.template("x", "ops", "--set", "leaderElection.enabled=false",
        "--set", "replicaCount=2"))
        .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
  }

  private static String env(JsonNode deployment, String name) {
    for (JsonNode e : deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError("no env " + name);
  }

  private static JsonNode operatorDeployment(String rendered) throws IOException {
    try (YAMLParser p = new YAMLFactory().createParser(rendered)) {
      for (var it = YAML.readValues(p, JsonNode.class); it.hasNext(); ) {
        JsonNode n = it.next();
        if (n != null && n.path("kind").asText().equals("Deployment")
            && n.path("metadata").path("name").asText().equals("x-operator")) {
          return n;
        }
      }
    }
    throw new AssertionError("no operator Deployment in the rendering");
  }
}
