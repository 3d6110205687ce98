package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.api.v1alpha1.HtcThroughputFunction;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.WorkerCount;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtcFunctionTest {
  /** The 2-type function of ThroughputMathTest (slow 1800/h at 1, fast 3600/h at 3, at most 2 each), first 4 points. */
  private static HtcThroughputFunction f() {
    HtcThroughputFunction f = new HtcThroughputFunction();
    f.setJob("j");
    f.setPoints(List.of(
        new HtcThroughputPoint(1, 1800, List.of(new WorkerCount("slow", 1))),
        new HtcThroughputPoint(2, 3600, List.of(new WorkerCount("slow", 2))),
        new HtcThroughputPoint(4, 5400, List.of(new WorkerCount("slow", 1), new WorkerCount("fast", 1))),
        new HtcThroughputPoint(5, 7200, List.of(new WorkerCount("slow", 2), new WorkerCount("fast", 1)))));
    f.setTmax(7200.0);
    return f;
  }

  @Test
  void theConfigurationIsTheCheapestPointReachingTheTarget() {
    assertThat(HtcFunction.configuration(f(), 5000).getCost()).isEqualTo(4.0);
    assertThat(HtcFunction.workers(HtcFunction.configuration(f(), 5000).getWorkers())).isEqualTo("1 x slow + 1 x fast");
    assertThat(HtcFunction.configuration(f(), 3600).getCost()).isEqualTo(2.0);
    assertThat(HtcFunction.configuration(f(), 0).getCost()).isEqualTo(1.0);
  }

  @Test
  void aTargetOutsideZeroToTmaxOrBeforeSamplingIsRefused() {
    assertThatThrownBy(() -> HtcFunction.configuration(f(), 7201))
        .hasMessage("target throughput must be within [0, TMAX] = [0, 7200.0] tasks/hour");
    assertThatThrownBy(() -> HtcFunction.configuration(null, 10)).hasMessageContaining("sample a job first");
  }
}
