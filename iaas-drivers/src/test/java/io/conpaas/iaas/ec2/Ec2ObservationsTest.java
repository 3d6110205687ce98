package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceState;

/** Ec2Observations: EC2 states and addresses in the operator's terms. */
class Ec2ObservationsTest {
  @ParameterizedTest
  @CsvSource({"pending, PENDING", "running, RUNNING", "shutting-down, TERMINATING", "stopping, STOPPED",
      "stopped, STOPPED", "something-new, PENDING"})
  void mapsStates(String ec2State, VmState state) {
    assertThat(Ec2Observations.state(InstanceState.builder().name(ec2State).build())).isEqualTo(state);
  }

  @Test
  void agentEndpointPrefersTheTagThenThePublicThenThePrivateAddress() {
    Map<String, String> tagged = Map.of(VmTags.AGENT_ENDPOINT, "127.0.0.1:40001");

    assertThat(Ec2Observations.agentEndpoint(tagged, VmState.RUNNING, "203.0.113.7", "10.0.0.7", 5555))
        .isEqualTo("127.0.0.1:40001");
    assertThat(Ec2Observations.agentEndpoint(Map.of(), VmState.RUNNING, "203.0.113.7", "10.0.0.7", 5555))
        .isEqualTo("203.0.113.7:5555");
    assertThat(Ec2Observations.agentEndpoint(Map.of(), VmState.RUNNING, null, "10.0.0.7", 5555))
        .isEqualTo("10.0.0.7:5555");
    assertThat(Ec2Observations.agentEndpoint(Map.of(), VmState.RUNNING, null, null, 5555)).isNull();
    assertThat(Ec2Observations.agentEndpoint(tagged, VmState.PENDING, "203.0.113.7", "10.0.0.7", 5555)).isNull();
    assertThat(Ec2Observations.agentEndpoint(Map.of(), VmState.FAILED, "203.0.113.7", "10.0.0.7", 5555)).isNull();
  }
}
