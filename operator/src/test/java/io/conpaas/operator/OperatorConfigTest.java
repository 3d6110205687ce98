package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.reconcilers.OperatorSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** OperatorConfig: file settings, environment overrides, durations and errors naming the key. */
class OperatorConfigTest {

  private static Properties file(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  private static OperatorSettings settings(Properties file, Map<String, String> env) {
    return new OperatorConfig(file, env).settings(() -> "k8s-0123456789ab");
  }

  @Test
  void defaultsWhenNothingIsSet() {
    OperatorSettings s = settings(file(), Map.of());

    assertThat(s.clusterId()).as("derived from the cluster").isEqualTo("k8s-0123456789ab");
    assertThat(s.operatorNamespace()).isEqualTo("conpaas-system");
    assertThat(s.agentHealthTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.agentMaxAttempts()).isEqualTo(3);
    assertThat(s.inventoryMaxAge()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.namespaces()).isEmpty();
  }

  @Test
  void fileSettingsApply() {
    OperatorSettings s = settings(file("agent.healthTimeout", "90s", "agent.maxAttempts", "5", "clusterId", "lab"),
        Map.of());

    assertThat(s.agentHealthTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.agentMaxAttempts()).isEqualTo(5);
    assertThat(s.clusterId()).isEqualTo("lab");
  }

  @Test
  void environmentOverridesFile() {
    OperatorSettings s = settings(file("agent.healthTimeout", "90s", "agent.maxAttempts", "5", "clusterId", "lab"),
        Map.of("CONPAAS_AGENT_HEALTH_TIMEOUT", "2m", "CONPAAS_AGENT_MAX_ATTEMPTS", "7", "CONPAAS_CLUSTER_ID", "prod"));

    assertThat(s.agentHealthTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.agentMaxAttempts()).isEqualTo(7);
    assertThat(s.clusterId()).isEqualTo("prod");
  }

  @Test
  void blankEnvironmentValueDoesNotOverride() {
    OperatorSettings s = settings(file("agent.maxAttempts", "5"), Map.of("CONPAAS_AGENT_MAX_ATTEMPTS", " "));

    assertThat(s.agentMaxAttempts()).isEqualTo(5);
  }

  @Test
  void acceptsDurationsInShortAndIsoForm() {
    assertThat(duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(duration(" 45s ")).isEqualTo(Duration.ofSeconds(45));
  }

  private static Duration duration(String value) {
    return new OperatorConfig(file(), Map.of("CONPAAS_AGENT_HEALTH_TIMEOUT", value)).settings(() -> "k8s-x").agentHealthTimeout();
  }

  @Test
  void badDurationNamesTheKey() {
    for (String bad : new String[] {"ninety", "90", "90d", "PTx", "ms", "s"}) {
      assertThatThrownBy(() -> duration(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("agent.healthTimeout").hasMessageContaining(bad.trim());
    }
  }

  @Test
  void badNumberNamesTheKey() {
    assertThatThrownBy(() -> settings(file("agent.maxAttempts", "three"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.maxAttempts").hasMessageContaining("three");
    assertThatThrownBy(() -> settings(file(), Map.of("CONPAAS_AGENT_MAX_ATTEMPTS", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent.maxAttempts");
    assertThatThrownBy(() -> new OperatorConfig(file("health.port", "80x"), Map.of()).healthPort())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health.port");
  }

  @Test
  void parsesNamespaceListIgnoringBlanks() {
    assertThat(settings(file("namespaces", "shop, blog ,,shop"), Map.of()).namespaces())
        .containsExactlyInAnyOrder("shop", "blog");
    assertThat(settings(file("namespaces", "shop"), Map.of("CONPAAS_NAMESPACES", "team-a,team-b")).namespaces())
        .containsExactlyInAnyOrder("team-a", "team-b");
  }

  @Test
  void mapsCamelCaseKeysToEnvironmentNames() {
    OperatorConfig config = new OperatorConfig(file(), Map.of("CONPAAS_LOCAL_WORK_DIR", "/srv/vms"));

    assertThat(config.get("local.workDir", "fallback")).isEqualTo("/srv/vms");
    assertThat(config.settings(() -> "k8s-x").localWorkDir()).hasToString("/srv/vms");
  }

  @Test
  void maxUnhealthyShareAndWindowDefaultParseAndAreChecked() {
    OperatorSettings d = settings(file(), Map.of());
    assertThat(d.agentMaxUnhealthyShare()).isEqualTo(0.5);
    assertThat(d.agentUnhealthyWindow()).isEqualTo(Duration.ofSeconds(60));

    OperatorSettings s = settings(file("agent.maxUnhealthyShare", "40%"),
        Map.of("CONPAAS_AGENT_UNHEALTHY_WINDOW", "2m"));
    assertThat(s.agentMaxUnhealthyShare()).isEqualTo(0.4);
    assertThat(s.agentUnhealthyWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings(file(), Map.of("CONPAAS_AGENT_MAX_UNHEALTHY_SHARE", "1")).agentMaxUnhealthyShare())
        .isEqualTo(1.0);

    for (String bad : new String[] {"0", "1.5", "half", "-0.2"}) {
      assertThatThrownBy(() -> settings(file("agent.maxUnhealthyShare", bad), Map.of())).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent.maxUnhealthyShare");
    }
  }
}
