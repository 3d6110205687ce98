package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.operator.testing.Helm;
import io.conpaas.reconcilers.credits.CreditSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** credits.enforce and credits.resync: from the environment, with defaults, and from the chart's values. */
class CreditsConfigTest {
  private static CreditSettings credits(Map<String, String> env) {
    return new OperatorConfig(new Properties(), env).settings(() -> "test").credits();
  }

  @Test
  void offByDefaultAndReadFromTheEnvironment() {
    assertThat(credits(Map.of())).isEqualTo(new CreditSettings(false, Duration.ofSeconds(60)));
    assertThat(credits(Map.of("CONPAAS_CREDITS_ENFORCE", "true", "CONPAAS_CREDITS_RESYNC", "30s")))
        .isEqualTo(new CreditSettings(true, Duration.ofSeconds(30)));
    assertThat(credits(Map.of("CONPAAS_CREDITS_ENFORCE", "true")).gate().enforced()).isTrue();
    assertThatThrownBy(() -> credits(Map.of("CONPAAS_CREDITS_RESYNC", "0s")))
        .hasMessageContaining("credits.resync must be positive");
  }

  @Test
  void theChartPassesItsValuesToTheOperator() {
    String rendered = Helm.template("x", "ops", "--set", "credits.enforce=true", "--set", "credits.resync=2m",
        "--show-only", "templates/deployment.yaml");
    assertThat(rendered).contains("- name: CONPAAS_CREDITS_ENFORCE\n              value: \"true\"")
        .contains("- name: CONPAAS_CREDITS_RESYNC\n              value: \"2m\"");
    assertThat(Helm.template("x", "ops", "--show-only", "templates/deployment.yaml"))
        .contains("- name: CONPAAS_CREDITS_ENFORCE\n              value: \"false\"");
  }
}
