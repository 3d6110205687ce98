package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.TaskFarmProgress;
import io.conpaas.api.v1alpha1.TaskFarmSchedule;
import io.conpaas.api.v1alpha1.WorkerCount;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleChartTest {
  @Test
  void theCheapestSitsBottomRightAndTheFastestTopLeft() {
    List<String> lines = ScheduleChart.render(List.of(
        new TaskFarmSchedule("cheapest", 1, 100, List.of(new WorkerCount("slow", 1))),
        new TaskFarmSchedule("pareto-1", 4, 40, List.of(new WorkerCount("fast", 1))),
        new TaskFarmSchedule("fastest", 9, 10, List.of(new WorkerCount("fast", 3)))));
    List<String> rows = lines.subList(1, 1 + ScheduleChart.HEIGHT);
    assertThat(rows.get(0)).startsWith("    9.00 |3");
    assertThat(rows.get(ScheduleChart.HEIGHT - 1)).startsWith("    1.00 |").endsWith("1");
    assertThat(rows.get(ScheduleChart.HEIGHT - 1).length()).isEqualTo(10 + ScheduleChart.WIDTH);
    assertThat(String.join("\n", lines)).contains(" 3 fastest    cost      9.00  makespan     10.0 s  workers 3xfast");
  }

  @Test
  void theProgressBarCountsDoneAndFailed() {
    assertThat(ScheduleChart.progressBar(new TaskFarmProgress(5, 1, 2, 12), 12))
        .isEqualTo("[######......] 5/12 done, 1 failed, 2 running");
  }
}
