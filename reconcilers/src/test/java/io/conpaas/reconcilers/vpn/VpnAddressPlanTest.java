package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VpnAddressPlanTest {

  @Test
  void theManualsExampleGives32ServicesOf32767Agents() {
    // Manual 1.1.4: 172.16.0.0, 255.240.0.0 (/12), 5 service bits -> 32 services, 32767 agents each.
    VpnAddressPlan plan = new VpnSettings("172.16.0.0", "255.240.0.0", 5, List.of()).plan();
    assertThat(plan.servicesPerApplication()).isEqualTo(32);
    assertThat(plan.agentsPerService()).isEqualTo(32767);
    assertThat(plan.network()).isEqualTo("172.16.0.0/12");
    assertThat(plan.serviceSubnet(0)).isEqualTo("172.16.0.0/17");
    assertThat(plan.serviceSubnet(1)).isEqualTo("172.16.128.0/17");
    assertThat(plan.serviceSubnet(31)).isEqualTo("172.31.128.0/17");
    assertThat(plan.hostAddress(1, 2)).isEqualTo("172.16.128.2");
    assertThat(plan.hostAddress(0, 32767)).isEqualTo("172.16.127.255");
    assertThatThrownBy(() -> plan.hostAddress(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> plan.hostAddress(0, 32768)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> plan.serviceSubnet(32)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFormulasHoldForOtherSettings() {
    VpnAddressPlan plan = new VpnSettings("10.8.0.0", "255.255.0.0", 2, List.of()).plan();
    assertThat(plan.servicesPerApplication()).isEqualTo(4);
    assertThat(plan.agentsPerService()).isEqualTo((1 << (32 - 16 - 2)) - 1);
    assertThat(plan.serviceSubnet(3)).isEqualTo("10.8.192.0/18");
    VpnAddressPlan tiny = new VpnSettings("192.168.7.0", "255.255.255.0", 6, List.of()).plan();
    assertThat(tiny.agentsPerService()).isEqualTo(3);
    assertThat(tiny.hostAddress(63, 3)).isEqualTo("192.168.7.255");
  }

  @Test
  void badSettingsNameTheSettingInOneLine() {
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.0.255.0", 5, List.of()))
        .hasMessageStartingWith("vpn.netmask: ").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.240.0", 5, List.of()))
        .hasMessageStartingWith("vpn.netmask: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.255.255.255", 0, List.of()))
        .hasMessageStartingWith("vpn.netmask: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.1.0", "255.240.0.0", 5, List.of()))
        .hasMessageStartingWith("vpn.baseNetwork: ").hasMessageContaining("172.16.0.0");
    assertThatThrownBy(() -> new VpnSettings("172.316.0.0", "255.240.0.0", 5, List.of()))
        .hasMessageStartingWith("vpn.baseNetwork: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.240.0.0", 20, List.of()))
        .hasMessageStartingWith("vpn.serviceBits: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.240.0.0", -1, List.of()))
        .hasMessageStartingWith("vpn.serviceBits: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.240.0.0", 5, List.of("http://1.2.3.4:5")))
        .hasMessageStartingWith("vpn.bootstrapNodes: ");
    assertThatThrownBy(() -> new VpnSettings("172.16.0.0", "255.240.0.0", 5, List.of("udp://1.2.3.4")))
        .hasMessageStartingWith("vpn.bootstrapNodes: ");
    assertThat(new VpnSettings("172.16.0.0", "255.240.0.0", 19, List.of("udp://192.168.35.2:40000",
        "tcp://192.168.122.1:40000")).plan().agentsPerService()).isEqualTo(1);
  }
}
