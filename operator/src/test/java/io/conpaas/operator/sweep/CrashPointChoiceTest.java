package io.conpaas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.operator.faults.WriteKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which crash points the sweep's sample takes: every kind, rotating with the seed, all when asked. */
class CrashPointChoiceTest {
  private static final Map<WriteKind, Integer> CREATE = Map.of(WriteKind.CLOUD, 3, WriteKind.AGENT, 6,
      WriteKind.API, 49);

  @Test
  void aSmallSampleTakesOnePointOfEachKind() {
    List<String> points = CrashPointSweepIT.choose(CREATE, 3, 0);
    assertThat(points).hasSize(3);
    assertThat(points).anyMatch(p -> p.startsWith("cloud:")).anyMatch(p -> p.startsWith("agent:"))
        .anyMatch(p -> p.startsWith("api:"));
  }

  @Test
  void theSeedRotatesTheSampleAndLargeBudgetsTakeEveryPointBeforeAndAfter() {
    assertThat(CrashPointSweepIT.choose(CREATE, 3, 1)).isNotEqualTo(CrashPointSweepIT.choose(CREATE, 3, 2));
    List<String> all = CrashPointSweepIT.choose(CREATE, 1000, 5);
    assertThat(all).hasSize(2 * (3 + 6 + 49)).doesNotHaveDuplicates().contains("cloud:3:after", "api:49");
    List<String> some = CrashPointSweepIT.choose(CREATE, 12, 0);
    assertThat(some).hasSize(12).doesNotHaveDuplicates();
    assertThat(some).anyMatch(p -> p.endsWith(":after")).anyMatch(p -> !p.endsWith(":after"));
  }

  @Test
  void aKindWithoutWritesLeavesItsShareToTheOthers() {
    List<String> points = CrashPointSweepIT.choose(Map.of(WriteKind.API, 7), 3, 0);
    assertThat(points).hasSize(3).allMatch(p -> p.startsWith("api:"));
  }
}
