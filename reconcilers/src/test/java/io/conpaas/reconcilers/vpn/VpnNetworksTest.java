package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VpnNetworksTest {
  private static final VpnSettings DEFAULTS = VpnSettings.defaults();

  @Test
  void anOverlapInEitherDirectionIsNamedInOneLine() {
    assertThat(VpnNetworks.overlap(DEFAULTS, List.of(new VpnNetworks.InUse("10.96.0.0/12", "Service CIDR"),
        new VpnNetworks.InUse("fd00::/64", "v6"), new VpnNetworks.InUse("172.32.0.0/16", "next door")))).isEmpty();
    // Inside the block, around it, and a single address.
    assertThat(VpnNetworks.overlap(DEFAULTS, List.of(new VpnNetworks.InUse("172.20.1.0/24", "the Pod CIDR of node n"))))
        .contains("vpn.baseNetwork/vpn.netmask: 172.16.0.0/12 overlaps the Pod CIDR of node n 172.20.1.0/24; "
            + "choose a vpn.baseNetwork and vpn.netmask outside it");
    assertThat(VpnNetworks.overlap(DEFAULTS, List.of(new VpnNetworks.InUse("172.0.0.0/8", "x")))).isPresent();
    assertThat(VpnNetworks.overlap(DEFAULTS, List.of(new VpnNetworks.InUse("172.31.255.255/32", "x")))).isPresent();
    assertThat(VpnNetworks.overlap(DEFAULTS, List.of(new VpnNetworks.InUse("172.15.255.255", "x")))).isEmpty();
  }
}
