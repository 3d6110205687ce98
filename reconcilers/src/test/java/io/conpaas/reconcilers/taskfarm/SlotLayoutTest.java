package io.conpaas.reconcilers.taskfarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SlotLayoutTest {
  private static final List<String> SAMPLING = List.of("slow", "fast");

  @Test
  void samplingWorkersKeepTheirSlotsWhenTheMixUsesThem() {
    assertThat(SlotLayout.of(SAMPLING, new TreeMap<>(Map.of("slow", 2, "fast", 2))))
        .containsExactly("slow", "fast", "fast", "slow");
    assertThat(SlotLayout.needsNewVm(SAMPLING, Map.of("slow", 1))).isFalse();
    assertThat(SlotLayout.needsNewVm(SAMPLING, Map.of("slow", 1, "fast", 1))).isFalse();
    assertThat(SlotLayout.needsNewVm(SAMPLING, Map.of("slow", 1, "fast", 2))).isTrue();
  }

  @Test
  void aSamplingWorkerTheMixDoesNotWantLeavesItsSlotEmpty() {
    assertThat(SlotLayout.of(SAMPLING, Map.of("fast", 1))).containsExactly(null, "fast");
    assertThat(SlotLayout.needsNewVm(SAMPLING, Map.of("fast", 1))).isFalse();
    assertThat(SlotLayout.of(SAMPLING, Map.of("slow", 1))).containsExactly("slow");
    assertThat(SlotLayout.of(SAMPLING, Map.of("fast", 2))).containsExactly(null, "fast", "fast");
  }
}
