package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.HtcThroughputFunction;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.WorkerCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Answers the manual's throughput/configuration questions from an HTC service's
 * status.throughputFunction (its Pareto points, cheapest first): the configuration for a target is the
 * cheapest point reaching it. Pure.
 */
final class HtcFunction {
  private HtcFunction() {}

  /** The cheapest point with throughput ≥ target; CliException outside [0, TMAX] or before sampling. */
  static HtcThroughputPoint configuration(HtcThroughputFunction f, double target) {
    if (f == null || f.getPoints() == null || f.getPoints().isEmpty()) {
      throw new CliException("no throughput function yet: sample a job first (kubectl conpaas htc sample SERVICE JOB)");
    }
    double tmax = f.getTmax() == null ? 0 : f.getTmax();
    if (target < 0 || target > tmax + 0.001) {
      throw new CliException(String.format(Locale.ROOT, "target throughput must be within [0, TMAX] = [0, %.1f] "
          + "tasks/hour", tmax));
    }
    return f.getPoints().stream().filter(p -> p.getThroughput() >= target - 0.001).findFirst().orElseThrow();
  }

  /** Workers as "2 x small + 1 x large". */
  static String workers(List<WorkerCount> workers) {
    return workers.isEmpty() ? "none" : workers.stream().map(w -> w.getCount() + " x " + w.getInstanceType())
        .collect(Collectors.joining(" + "));
  }

  /** The function as a table: cost per hour, tasks per hour, workers; TMAX last. */
  static List<String> table(HtcThroughputFunction f) {
    List<String> lines = new ArrayList<>();
    f.getSamples().forEach(s -> lines.add(String.format(Locale.ROOT, "sampled %-12s %3d tasks, %.3f s per task",
        s.getInstanceType(), s.getTasks(), s.getMeanSeconds())));
    lines.add(String.format(Locale.ROOT, "%12s  %14s  %s", "COST/HOUR", "TASKS/HOUR", "WORKERS"));
    for (HtcThroughputPoint p : f.getPoints()) {
      lines.add(String.format(Locale.ROOT, "%12.3f  %14.1f  %s", p.getCost(), p.getThroughput(), workers(p.getWorkers())));
    }
    lines.add(String.format(Locale.ROOT, "TMAX %.1f tasks/hour (job %s)", f.getTmax(), f.getJob()));
    return lines;
  }
}
