package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How the code source and upload limits are read from the environment (CONPAAS_CODE_SOURCE_ALLOWED_NETWORKS etc.). */
class CodeSettingsConfigTest {
  @Test
  void defaultsAllowOnlyPublicDestinations() {
    CodeSettings c = new OperatorConfig(new Properties(), Map.of()).code();
    assertThat(c.source().allowedNetworks()).isEmpty();
    assertThat(c.source().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.uploadRequestTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theEnvironmentSetsAllowListAndTimeouts() {
    CodeSettings c = new OperatorConfig(new Properties(), Map.of(
        "CONPAAS_CODE_SOURCE_ALLOWED_NETWORKS", "10.96.0.0/12, git.tools.svc.cluster.local ,fd00::/8",
        "CONPAAS_CODE_SOURCE_TIMEOUT", "90s",
        "CONPAAS_UPLOAD_REQUEST_TIMEOUT", "30m")).code();
    assertThat(c.source().allowedNetworks()).containsExactly("10.96.0.0/12", "git.tools.svc.cluster.local", "fd00::/8");
    assertThat(c.source().timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.uploadRequestTimeout()).isEqualTo(Duration.ofMinutes(30));
  }
}
