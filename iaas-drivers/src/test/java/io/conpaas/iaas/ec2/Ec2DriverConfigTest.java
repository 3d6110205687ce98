package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ec2DriverConfig: defaults, normalisation, validation and a toString without credentials. */
class Ec2DriverConfigTest {
  private static Ec2DriverConfig config() {
    return new Ec2DriverConfig("eu-west-1", null, "ami-1", "t3.small", Arrays.asList("sg-1", "", null), " ", "",
        "AKIDVISIBLE", "very/secret+key", 5555);
  }

  @Test
  void toStringNamesNoCredential() {
    assertThat(config().toString()).doesNotContain("very/secret+key").doesNotContain("AKIDVISIBLE")
        .contains("eu-west-1").contains("ami-1");
  }

  @Test
  void blanksAreAbsentAndPageSizeDefaultsToTheMaximum() {
    Ec2DriverConfig config = config();

    assertThat(config.subnetId()).isNull();
    assertThat(config.keyName()).isNull();
    assertThat(config.securityGroupIds()).containsExactly("sg-1");
    assertThat(config.pageSize()).isEqualTo(1000);
    assertThat(config.withPageSize(5).pageSize()).isEqualTo(5);
    assertThat(config.withEndpoint(URI.create("http://127.0.0.1:5000")).endpointOverride())
        .hasToString("http://127.0.0.1:5000");
  }

  @Test
  void refusesWhatEc2WouldRefuse() {
    assertThatThrownBy(() -> config().withPageSize(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config().withPageSize(1001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ec2DriverConfig("eu-west-1", null, " ", "t3.small", List.of(), null, null,
        "k", "s", 5555)).hasMessageContaining("imageId");
    assertThatThrownBy(() -> new Ec2DriverConfig("eu-west-1", null, "ami-1", "t3.small", List.of(), null, null,
        "k", "s", 0)).hasMessageContaining("agentPort");
  }

  @Test
  void clientNeedsCredentials() {
    assertThatThrownBy(() -> Ec2Driver.create(config().withCredentials("", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("very/secret+key");
  }
}
