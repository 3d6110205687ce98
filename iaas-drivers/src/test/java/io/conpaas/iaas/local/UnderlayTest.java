package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class UnderlayTest {
  @Test
  void derivedNetworksAreSlash24sIn10Dot200Slash13AndNamesFitLinux() {
    Underlay u = Underlay.of(null, "/var/lib/conpaas/local/cloud-a");
    assertThat(u.cidr()).matches("10\\.20[0-7]\\.\\d+\\.0/24");
    assertThat(Underlay.of(null, "/var/lib/conpaas/local/cloud-a")).isEqualTo(u);
    assertThat(u.hostVeth().length()).isLessThanOrEqualTo(15);
    assertThat(Underlay.agentVeth("local-0123456789ab").length()).isLessThanOrEqualTo(15);
    assertThat(Underlay.vpnInterface("local-0123456789ab")).startsWith("cpw").hasSizeLessThanOrEqualTo(15);
    assertThat(Underlay.vpnInterface("local-0123456789ab")).isNotEqualTo(Underlay.vpnInterface("local-0123456789ac"));
  }

  @Test
  void givenNetworksAreCheckedAndSlotsSkipTheHostAndBroadcast() {
    Underlay u = Underlay.of("10.213.7.0/29", "k");
    assertThat(u.hostAddress()).isEqualTo("10.213.7.1");
    assertThat(u.agentAddress(2)).isEqualTo("10.213.7.2/29");
    assertThat(u.freeSlot(Set.of())).isEqualTo(2);
    assertThat(u.freeSlot(Set.of(2, 3, 4, 5, 6))).isEqualTo(-1);
    assertThat(u.freeSlot(Set.of(2, 4))).isEqualTo(3);
    assertThatThrownBy(() -> Underlay.of("10.213.7.1/24", "k")).hasMessageContaining("spec.local.network");
    assertThatThrownBy(() -> Underlay.of("10.213.0.0/8", "k")).hasMessageContaining("/16 to /29");
    assertThatThrownBy(() -> Underlay.of("nonsense", "k")).hasMessageContaining("spec.local.network");
  }
}
