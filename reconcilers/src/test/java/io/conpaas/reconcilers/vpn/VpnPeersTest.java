package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentVpnSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VpnPeersTest {
  private static Agent agent(String name, String app, String vpn, String key, String privateAddress, String cloud) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns")
        .withLabels(Map.of("conpaas.io/application", app)).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud(cloud);
    spec.setVpn(vpn == null ? null : new AgentVpnSpec(1, vpn, "172.16.0.0/12"));
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setAddresses(new AgentAddresses("203.0.113." + vpn.substring(vpn.lastIndexOf('.') + 1), privateAddress));
    TreeMap<String, String> facts = new TreeMap<>();
    if (key != null) {
      facts.put(VpnConfig.FACT_PUBLIC_KEY, key);
    }
    st.setFacts(facts);
    a.setStatus(st);
    return a;
  }

  @Test
  void peersAreTheOtherKeyedAgentsOfTheSameApplicationOnly() {
    Agent self = agent("a0", "app-a", "172.16.0.1", "K0", "10.0.0.2", "c1");
    Agent mate = agent("a1", "app-a", "172.16.0.2", "K1", "10.0.0.3", "c1");
    Agent far = agent("a2", "app-a", "172.16.128.1", "K2", "10.9.0.3", "c2");
    Agent stranger = agent("b0", "app-b", "172.16.0.3", "KB", "10.0.0.4", "c1");
    Agent keyless = agent("a3", "app-a", "172.16.0.4", null, "10.0.0.5", "c1");
    Agent replaced = agent("a4", "app-a", "172.16.0.5", "K4", "10.0.0.6", "c1");
    replaced.getStatus().setPhase(AgentPhase.Creating);
    Agent leaving = agent("a5", "app-a", "172.16.0.6", "K5", "10.0.0.7", "c1");
    leaving.getMetadata().setDeletionTimestamp("2026-12-05T00:00:00Z");
    VpnConfig c = VpnPeers.of(self, List.of(self, mate, far, stranger, keyless, replaced, leaving)).orElseThrow();
    assertThat(c.address()).isEqualTo("172.16.0.1");
    assertThat(c.network()).isEqualTo("172.16.0.0/12");
    // Within one Cloud the private address, across Clouds the public one.
    assertThat(c.peers()).containsExactly(
        new VpnConfig.Peer("K1", "10.0.0.3:51820", "172.16.0.2/32"),
        new VpnConfig.Peer("K2", "203.0.113.1:51820", "172.16.128.1/32"));
    assertThat(c.relays()).isEmpty();
  }

  @Test
  void theHashChangesWithMembershipOnly() {
    Agent self = agent("a0", "app-a", "172.16.0.1", "K0", "10.0.0.2", "c1");
    Agent mate = agent("a1", "app-a", "172.16.0.2", "K1", "10.0.0.3", "c1");
    String one = VpnPeers.hash(VpnPeers.of(self, List.of(self, mate)).orElseThrow());
    assertThat(VpnPeers.hash(VpnPeers.of(self, List.of(mate, self)).orElseThrow())).isEqualTo(one);
    mate.getStatus().getFacts().put(VpnConfig.FACT_PUBLIC_KEY, "K1-new");
    assertThat(VpnPeers.hash(VpnPeers.of(self, List.of(self, mate)).orElseThrow())).isNotEqualTo(one);
    assertThat(VpnPeers.membershipView(mate)).contains("K1-new");
  }

  @Test
  void pairsEitherSideReportsDownOrRelayedGoThroughTheRelaysOthersStayDirect() {
    Agent self = agent("a0", "app-a", "172.16.0.1", "K0", "10.0.0.2", "c1");
    Agent mate = agent("a1", "app-a", "172.16.0.2", "K1", "10.0.0.3", "c1");
    Agent far = agent("a2", "app-a", "172.16.128.1", "K2", "10.9.0.3", "c2");
    Agent farther = agent("a3", "app-a", "172.16.128.2", "K3", "10.9.0.4", "c2");
    // self heard nothing from far; farther says it already sends to self through a relay.
    self.getStatus().getFacts().put(VpnConfig.FACT_PEERS_DOWN, "K2");
    farther.getStatus().getFacts().put(VpnConfig.FACT_RELAYED, "K0,K1");
    List<Agent> all = List.of(self, mate, far, farther);
    VpnConfig c = VpnPeers.of(self, all, List.of("10.0.0.1:40000")).orElseThrow();
    assertThat(c.relays()).containsExactly("10.0.0.1:40000");
    assertThat(c.peers()).extracting(VpnConfig.Peer::publicKey, VpnConfig.Peer::relayed).containsExactly(
        org.assertj.core.groups.Tuple.tuple("K1", false), org.assertj.core.groups.Tuple.tuple("K2", true),
        org.assertj.core.groups.Tuple.tuple("K3", true));
    // Symmetric: far routes self through the relay too, though only self saw the silence.
    assertThat(VpnPeers.of(far, all, List.of("10.0.0.1:40000")).orElseThrow().peers())
        .filteredOn(p -> p.publicKey().equals("K0")).extracting(VpnConfig.Peer::relayed).containsExactly(true);
    // Without relays nothing is relayed (the silence is only reported).
    assertThat(VpnPeers.of(self, all).orElseThrow().peers()).noneMatch(VpnConfig.Peer::relayed);
    // The signal is part of the membership view: a change re-pushes the peers.
    String before = VpnPeers.membershipView(mate);
    mate.getStatus().getFacts().put(VpnConfig.FACT_PEERS_DOWN, "K3");
    assertThat(VpnPeers.membershipView(mate)).isNotEqualTo(before);
    String relayedHash = VpnPeers.hash(c);
    self.getStatus().getFacts().remove(VpnConfig.FACT_PEERS_DOWN);
    assertThat(VpnPeers.hash(VpnPeers.of(self, all, List.of("10.0.0.1:40000")).orElseThrow())).isNotEqualTo(relayedHash);
  }

  @Test
  void theServiceNamesThePeersItsAgentsCannotReach() {
    Agent proxy = agent("shop-proxy-0", "app-a", "172.16.0.1", "K0", "10.0.0.2", "c1");
    Agent backend = agent("shop-backend-0", "app-a", "172.16.0.2", "K1", "10.9.0.3", "c2");
    proxy.getStatus().getFacts().put(VpnConfig.FACT_PEERS_DOWN, "K1,KZZZZZZZZZZZ");
    assertThat(ServiceVpn.unreachable(List.of(proxy, backend))).containsExactly(
        "shop-proxy-0 cannot reach shop-backend-0 (172.16.0.2), peer KZZZZZZZ…");
    var vpn = new ServiceVpn(ServiceVpn.State.ASSIGNED, 0, "172.16.0.0/17", "172.16.0.0/12");
    var status = new io.conpaas.api.v1alpha1.ServiceStatus();
    status.setMessage("running");
    status.setState(io.conpaas.api.v1alpha1.ServiceState.RUNNING);
    vpn.applyTo(status, List.of(), List.of(), ServiceVpn.unreachable(List.of(proxy, backend)), 1L,
        java.time.Instant.EPOCH);
    assertThat(status.getConditions()).anySatisfy(cond -> {
      assertThat(cond.getType()).isEqualTo("Degraded");
      assertThat(cond.getReason()).isEqualTo(ServiceVpn.UNREACHABLE_REASON);
      assertThat(cond.getMessage()).contains("shop-backend-0 (172.16.0.2)");
    });
    proxy.getStatus().getFacts().remove(VpnConfig.FACT_PEERS_DOWN);
    assertThat(ServiceVpn.unreachable(List.of(proxy, backend))).isEmpty();
  }

  @Test
  void anAgentWithoutAVpnPlaceGetsNoConfiguration() {
    Agent plain = agent("p", "app-a", "172.16.0.9", null, "10.0.0.2", "c1");
    plain.getSpec().setVpn(null);
    assertThat(VpnPeers.of(plain, List.of(plain))).isEmpty();
  }
}
