package io.conpaas.reconcilers.taskfarm;

import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the sampled tasks of one instance type say, pure. A worker runs the tasks it holds back to back,
 * so on each VM the time from one task's end to the next one's start is per-task overhead (the worker's
 * own: a fresh directory, a process started as the VM account) that the execution pays as well: the
 * seconds a task costs a worker are its mean runtime plus that mean gap.
 */
public record SampleRuntime(int tasks, double meanRunSeconds, double meanGapSeconds) {
  public double secondsPerTask() {
    return meanRunSeconds + meanGapSeconds;
  }

  /** From finished tasks (start and end known), grouped by the VM that ran them; empty when none. */
  public static Optional<SampleRuntime> of(List<Task> finished) {
    List<Task> timed = finished.stream().filter(t -> t.startMs != null && t.endMs != null).toList();
    if (timed.isEmpty()) {
      return Optional.empty();
    }
    double run = 0;
    double gaps = 0;
    int pairs = 0;
    Map<String, List<Task>> byVm = timed.stream().collect(Collectors.groupingBy(t -> t.vm == null ? "" : t.vm));
    for (List<Task> onVm : byVm.values()) {
      List<Task> sorted = onVm.stream().sorted(Comparator.comparingLong((Task t) -> t.startMs)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        run += sorted.get(i).endMs - sorted.get(i).startMs;
        if (i > 0) {
          // Overlapping tasks (demo mode's simulated ones) have no gap.
          gaps += Math.max(0, sorted.get(i).startMs - sorted.get(i - 1).endMs);
          pairs++;
        }
      }
    }
    return Optional.of(new SampleRuntime(timed.size(), run / timed.size() / 1000.0,
        pairs == 0 ? 0 : gaps / pairs / 1000.0));
  }
}
