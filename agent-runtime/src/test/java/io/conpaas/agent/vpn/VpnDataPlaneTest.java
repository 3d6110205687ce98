package io.conpaas.agent.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VpnDataPlaneTest {
  @Test
  void theKernelWhenItMadeTheInterfaceElseWireguardGo() {
    assertThat(VpnDataPlane.choose(null)).isEqualTo(VpnDataPlane.KERNEL);
    // This host's kernel: no WireGuard module.
    assertThat(VpnDataPlane.choose("ip link add conpaas0 type wireguard failed (exit 2): Error: Unknown device type."))
        .isEqualTo(VpnDataPlane.WIREGUARD_GO);
    assertThat(VpnDataPlane.choose("ip link add conpaas0 type wireguard failed (exit 2): RTNETLINK answers: "
        + "Operation not permitted")).isEqualTo(VpnDataPlane.WIREGUARD_GO);
    assertThat(VpnDataPlane.choose("ip link add conpaas0 type wireguard timed out after 10 s"))
        .isEqualTo(VpnDataPlane.WIREGUARD_GO);
  }

  @Test
  void theFactNamesThePlane() {
    assertThat(VpnDataPlane.KERNEL.fact()).isEqualTo("kernel");
    assertThat(VpnDataPlane.WIREGUARD_GO.fact()).isEqualTo("wireguard-go");
  }
}
