package io.conpaas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which crash points the sweep's sample takes: every kind, per operation class, rotating with the seed. */
class CrashPointChoiceTest {
  private static final Map<String, Integer> CREATE = Map.of("cloud/createBatch", 1, "cloud/label", 2,
      "agent/bootstrap-install", 3, "agent/configure", 3, "api/POST.agents", 3, "api/PATCH.agents.status", 46);

  @TempDir
  Path dir;

  @Test
  void aSmallSampleTakesOnePointOfEachKind() {
    List<String> points = CrashPointSweepIT.choose(CREATE, 3, 0);
    assertThat(points).hasSize(3);
    assertThat(points).anyMatch(p -> p.startsWith("cloud/")).anyMatch(p -> p.startsWith("agent/"))
        .anyMatch(p -> p.startsWith("api/"));
  }

  @Test
  void theSeedRotatesTheSampleAndLargeBudgetsTakeEveryPointBeforeAndAfter() {
    assertThat(CrashPointSweepIT.choose(CREATE, 3, 1)).isNotEqualTo(CrashPointSweepIT.choose(CREATE, 3, 2));
    assertThat(CrashPointSweepIT.choose(CREATE, 3, 7)).isEqualTo(CrashPointSweepIT.choose(CREATE, 3, 7));
    List<String> all = CrashPointSweepIT.choose(CREATE, Integer.MAX_VALUE, 5);
    assertThat(all).hasSize(2 * (1 + 2 + 3 + 3 + 3 + 46)).doesNotHaveDuplicates()
        .contains("cloud/label:2:after", "api/POST.agents:3", "api/PATCH.agents.status:46");
    List<String> some = CrashPointSweepIT.choose(CREATE, 12, 0);
    assertThat(some).hasSize(12).doesNotHaveDuplicates();
    assertThat(some).anyMatch(p -> p.endsWith(":after")).anyMatch(p -> !p.endsWith(":after"));
  }

  @Test
  void opsTakesTheFirstAndTheLastWriteOfEachClassBeforeAndAfter() {
    List<String> ops = CrashPointSweepIT.choose(CREATE, CrashPointSweepIT.OPS, 0);
    assertThat(ops).hasSize(2 * (1 + 2 + 2 + 2 + 2 + 2)).doesNotHaveDuplicates()
        .contains("cloud/createBatch:1", "cloud/createBatch:1:after", "api/PATCH.agents.status:46:after");
  }

  @Test
  void aKindWithoutWritesLeavesItsShareToTheOthers() {
    List<String> points = CrashPointSweepIT.choose(Map.of("api/POST.agents", 7), 3, 0);
    assertThat(points).hasSize(3).allMatch(p -> p.startsWith("api/POST.agents:"));
  }

  @Test
  void theWriteLogIsCountedPerOperationClass() throws Exception {
    Path log = dir.resolve("writes");
    Files.writeString(log, "api\t1\tPOST.agents\t1\tPOST /x\napi\t2\tPOST.agents\t2\tPOST /x\n"
        + "cloud\t1\tcreateBatch\t1\tcreateBatch t x2\n");
    assertThat(CrashPointSweepIT.countPerOperation(log)).containsExactlyInAnyOrderEntriesOf(
        Map.of("api/POST.agents", 2, "cloud/createBatch", 1));
  }

  @Test
  void underABudgetSuccessiveDaysSweepEveryPoint() {
    List<String> all = CrashPointSweepIT.choose(CREATE, Integer.MAX_VALUE, 0);
    java.util.Set<String> covered = new java.util.HashSet<>();
    int days = (all.size() + CrashPointSweepIT.DAILY_STEP - 1) / CrashPointSweepIT.DAILY_STEP;
    for (long day = 20_000; day < 20_000 + days; day++) {
      List<String> order = CrashPointSweepIT.rotated(all, day);
      assertThat(order).containsExactlyInAnyOrderElementsOf(all);
      covered.addAll(order.subList(0, CrashPointSweepIT.DAILY_STEP));
    }
    assertThat(covered).containsExactlyInAnyOrderElementsOf(all);
    // A day's first points are spread over the operation classes, not the first class's writes.
    assertThat(CrashPointSweepIT.rotated(all, 3).subList(0, 6).stream().map(p -> p.substring(0, p.indexOf(':')))
        .distinct().count()).isGreaterThan(1);
  }
}
