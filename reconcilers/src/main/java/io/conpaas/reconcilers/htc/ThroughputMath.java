package io.conpaas.reconcilers.htc;

import io.conpaas.reconcilers.taskfarm.ScheduleMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * HTC's model (manual 2.10), pure. A worker of type t completes 3600 / s_t tasks per hour, where s_t
 * is the seconds per task sampled on t (back to back, so per-task overhead is included), and costs
 * p_t per hour. A configuration n (workers per type, each at most its cap) therefore has throughput
 * X(n) = Σ n_t · 3600 / s_t and cost C(n) = Σ n_t · p_t. throughput = f(cost) is the Pareto front of
 * all configurations: cheapest first, each with a strictly higher throughput than every cheaper one;
 * TMAX = X(caps). The configuration for a target T is the cheapest front point with X ≥ T.
 */
public final class ThroughputMath {
  /** Tasks per hour a configuration may fall short of a target and still reach it (status rounding). */
  public static final double TOLERANCE = 0.001;

  private ThroughputMath() {}

  /** A sampled instance type: seconds per task, price per hour, most workers a configuration may use. */
  public record TypeRate(String name, double secondsPerTask, double pricePerHour, int maxWorkers) {}

  /** A configuration: workers per type (same order as the types), its cost per hour and tasks per hour. */
  public record Point(int[] counts, double cost, double throughput) {
    int workers() {
      int n = 0;
      for (int c : counts) {
        n += c;
      }
      return n;
    }
  }

  public static double throughput(List<TypeRate> types, int[] counts) {
    double x = 0;
    for (int t = 0; t < counts.length; t++) {
      x += counts[t] * 3600.0 / types.get(t).secondsPerTask();
    }
    return x;
  }

  public static double cost(List<TypeRate> types, int[] counts) {
    double c = 0;
    for (int t = 0; t < counts.length; t++) {
      c += counts[t] * types.get(t).pricePerHour();
    }
    return c;
  }

  /** f as its Pareto points, cheapest first; ties in cost go to the higher throughput, then fewer workers. */
  public static List<Point> function(List<TypeRate> types) {
    List<ScheduleMath.TypeModel> models = types.stream()
        .map(t -> new ScheduleMath.TypeModel(t.name(), t.secondsPerTask(), t.pricePerHour(), t.maxWorkers())).toList();
    List<Point> all = new ArrayList<>();
    for (int[] counts : ScheduleMath.mixes(models)) {
      all.add(new Point(counts, cost(types, counts), throughput(types, counts)));
    }
    all.sort(Comparator.comparingDouble(Point::cost).thenComparing(Comparator.comparingDouble(Point::throughput)
        .reversed()).thenComparingInt(Point::workers));
    List<Point> front = new ArrayList<>();
    double best = 0;
    for (Point p : all) {
      if (p.throughput() > best + 1e-9) {
        front.add(p);
        best = p.throughput();
      }
    }
    return front;
  }

  /** The highest throughput of the function (0 when empty). */
  public static double tmax(List<Point> function) {
    return function.isEmpty() ? 0 : function.get(function.size() - 1).throughput();
  }

  /**
   * The cheapest configuration reaching the target, empty when the target is above TMAX. Within
   * TOLERANCE: status shows throughputs rounded to 3 decimals, and a target read from there must
   * select that very point.
   */
  public static Optional<Point> configuration(List<Point> function, double target) {
    return function.stream().filter(p -> p.throughput() >= target - TOLERANCE).findFirst();
  }

  /** f(cost): the throughput of the dearest point costing at most cost (0 below the cheapest). */
  public static double throughputAt(List<Point> function, double cost) {
    double x = 0;
    for (Point p : function) {
      if (p.cost() <= cost + 1e-9) {
        x = p.throughput();
      }
    }
    return x;
  }
}
