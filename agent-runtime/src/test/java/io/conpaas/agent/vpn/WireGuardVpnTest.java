package io.conpaas.agent.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.api.VpnConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks before anything reaches wg or ip (no interface is made here). */
class WireGuardVpnTest {
  private static final String KEY = "iULjGNQhdM5Wc4QKRqVYZBJYBgCmYsOeyfUBuWyfXTM=";

  @Test
  void anAgentSharingTheHostsNetworkMakesNoInterface() {
    WireGuardVpn vpn = new WireGuardVpn("cpwtest", true, Path.of("/nonexistent"));
    assertThatThrownBy(() -> vpn.apply(new VpnConfig("172.16.0.1", "172.16.0.0/12", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shares its host's network namespace");
    assertThat(vpn.facts()).isEmpty();
  }

  @Test
  void badValuesAreRefusedBeforeAnyCommand() {
    assertThatThrownBy(() -> new WireGuardVpn("eth0; rm -rf /", false, Path.of("/x")))
        .isInstanceOf(IllegalArgumentException.class);
    for (VpnConfig bad : List.of(
        new VpnConfig("172.16.0.1; reboot", "172.16.0.0/12", List.of()),
        new VpnConfig("172.16.0.1", "172.16.0.0/40", List.of()),
        new VpnConfig("172.16.0.1", "172.16.0.0/12", List.of(new VpnConfig.Peer("short", "10.0.0.2:51820",
            "172.16.0.2/32"))),
        new VpnConfig("172.16.0.1", "172.16.0.0/12", List.of(new VpnConfig.Peer(KEY, "10.0.0.2", "172.16.0.2/32"))),
        new VpnConfig("172.16.0.1", "172.16.0.0/12", List.of(new VpnConfig.Peer(KEY, "10.0.0.2:51820",
            "0.0.0.0/0"))))) {
      assertThatThrownBy(() -> VpnConfigCheck.check(bad)).as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
    }
    VpnConfigCheck.check(new VpnConfig("172.16.0.1", "172.16.0.0/12",
        List.of(new VpnConfig.Peer(KEY, "10.0.0.2:51820", "172.16.0.2/32"))));
  }
}
