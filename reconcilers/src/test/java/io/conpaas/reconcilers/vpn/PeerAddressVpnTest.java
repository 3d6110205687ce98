package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.reconcilers.model.PeerAddress;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** Roles of a VPN application address each other by VPN address; users keep the public entry point. */
class PeerAddressVpnTest {
  private static Agent agent(String vpn) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName("x").build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud("c1");
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    AgentAddresses addresses = new AgentAddresses("203.0.113.9", "10.0.0.9");
    addresses.setVpn(vpn);
    st.setAddresses(addresses);
    st.setAgentEndpoint("198.51.100.9:5555");
    a.setStatus(st);
    return a;
  }

  @Test
  void peersUseTheVpnAddressWithinAndAcrossClouds() {
    assertThat(PeerAddress.host(agent("172.16.0.9"), "c1")).isEqualTo("172.16.0.9");
    assertThat(PeerAddress.host(agent("172.16.0.9"), "c2")).isEqualTo("172.16.0.9");
    assertThat(PeerAddress.host(agent("172.16.0.9"), true)).isEqualTo("203.0.113.9");
  }

  @Test
  void withoutTheVpnNothingChanges() {
    assertThat(PeerAddress.host(agent(null), "c1")).isEqualTo("10.0.0.9");
    assertThat(PeerAddress.host(agent(null), "c2")).isEqualTo("198.51.100.9");
  }
}
