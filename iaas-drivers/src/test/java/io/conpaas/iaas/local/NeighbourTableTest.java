package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {
  @Test
  void aMeshOfNAgentsNeedsAboutNSquaredEntries() {
    assertThat(NeighbourTable.meshEntries(1)).isEqualTo(2);
    assertThat(NeighbourTable.meshEntries(10)).isEqualTo(110);
    assertThat(NeighbourTable.meshEntries(50)).isEqualTo(2550);
  }

  @Test
  void theDefaultLimitFitsThirtyOneAgentsAndTheWarningNamesTheSetting() {
    assertThat(NeighbourTable.warning(31, 1024)).isNull();
    String w = NeighbourTable.warning(32, 1024);
    assertThat(w).contains("32 agents", "1056", "net.ipv4.neigh.default.gc_thresh3 = 1024", "sysctl -w");
    assertThat(NeighbourTable.warning(50, 16384)).isNull();
  }
}
