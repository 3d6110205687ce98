package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexAllocatorTest {

  @Test
  void newOwnersGetTheLowestFreeIndexAndHoldersKeepTheirs() {
    assertThat(IndexAllocator.assign(List.of("a", "b", "c"), Map.of(), 0, 31))
        .containsExactly(Map.entry("a", 0), Map.entry("b", 1), Map.entry("c", 2));
    // b is gone: its index is free for the newcomer d; a and c keep theirs.
    assertThat(IndexAllocator.assign(List.of("a", "c", "d"), Map.of("a", 0, "b", 1, "c", 2), 0, 31))
        .containsEntry("a", 0).containsEntry("c", 2).containsEntry("d", 1);
  }

  @Test
  void aFullRangeLeavesOnlyTheNewestWithout() {
    Map<String, Integer> got = IndexAllocator.assign(List.of("a", "b", "c"), Map.of("c", 1), 0, 1);
    assertThat(got).containsEntry("c", 1).containsEntry("a", 0).doesNotContainKey("b");
  }

  @Test
  void aDoubleClaimGoesToTheOlderOwner() {
    assertThat(IndexAllocator.assign(List.of("a", "b"), Map.of("a", 3, "b", 3), 1, 5))
        .containsEntry("a", 3).containsEntry("b", 1);
  }
}
