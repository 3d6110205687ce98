package io.conpaas.reconcilers.taskfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleRuntimeTest {
  private static Task ran(String vm, long startMs, long endMs) {
    Task t = new Task();
    t.state = "D";
    t.vm = vm;
    t.startMs = startMs;
    t.endMs = endMs;
    return t;
  }

  @Test
  void aTaskCostsItsMeanRuntimePlusTheMeanGapBetweenTasksRunBackToBackOnOneVm() {
    // VM a: three 1 s tasks with gaps of 0.1 and 0.2 s (listed out of order); VM b: one 2 s task (no gap).
    // Runtime 5 s over 4 tasks = 1.25 s; gaps 0.3 s over 2 consecutive pairs = 0.15 s; 1.4 s per task.
    SampleRuntime r = SampleRuntime.of(List.of(ran("a", 2300, 3300), ran("a", 0, 1000), ran("b", 500, 2500),
        ran("a", 1100, 2100))).orElseThrow();
    assertThat(r.tasks()).isEqualTo(4);
    assertThat(r.meanRunSeconds()).isCloseTo(1.25, within(1e-9));
    assertThat(r.meanGapSeconds()).isCloseTo(0.15, within(1e-9));
    assertThat(r.secondsPerTask()).isCloseTo(1.4, within(1e-9));
  }

  @Test
  void overlappingTasksHaveNoGapAndNothingFinishedSaysNothing() {
    // Demo mode's simulated samples all start at once on no VM.
    SampleRuntime r = SampleRuntime.of(List.of(ran(null, 0, 2000), ran(null, 0, 3000))).orElseThrow();
    assertThat(r.meanGapSeconds()).isZero();
    assertThat(r.secondsPerTask()).isCloseTo(2.5, within(1e-9));
    assertThat(SampleRuntime.of(List.of())).isEmpty();
  }
}
