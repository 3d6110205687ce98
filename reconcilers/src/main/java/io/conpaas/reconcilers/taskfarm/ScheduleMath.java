package io.conpaas.reconcilers.taskfarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The scheduling mathematics of TaskFarm (BaTS-style), pure. Each instance type t has a mean task
 * runtime mu_t (sampled), a price per hour p_t and a cap of workers. A mix n (workers per type)
 * finishes N equal-length tasks at the smallest T with sum_t n_t * floor(T / mu_t) >= N (each worker
 * runs its tasks back to back); the execution's makespan is startup + T, and every VM of the mix is
 * paid from its start to the end, by started billing units of U seconds: cost = sum_t n_t * p_t *
 * ceil((startup + T) / U) * U / 3600. A mix is Pareto-optimal when no other is as cheap and faster.
 */
public final class ScheduleMath {
  private static final int MAX_MIXES = 200_000;

  private ScheduleMath() {}

  /** One instance type as the model sees it. */
  public record TypeModel(String name, double meanSeconds, double pricePerHour, int maxWorkers) {}

  /** A mix with its predicted makespan (seconds, startup included) and cost. */
  public record Mix(int[] counts, double makespan, double cost) {
    public int workers() {
      return Arrays.stream(counts).sum();
    }
  }

  /**
   * The time T the mix needs for tasks tasks, without startup: the smallest multiple of some mu_t
   * (a moment a task ends) at which the workers have finished at least that many tasks.
   */
  public static double computeSeconds(List<TypeModel> types, int[] counts, int tasks) {
    if (tasks <= 0) {
      return 0;
    }
    List<Double> candidates = new ArrayList<>();
    for (int t = 0; t < types.size(); t++) {
      if (counts[t] == 0) {
        continue;
      }
      int most = (tasks + counts[t] - 1) / counts[t];
      for (int j = 1; j <= most; j++) {
        candidates.add(j * types.get(t).meanSeconds());
      }
    }
    if (candidates.isEmpty()) {
      return Double.POSITIVE_INFINITY;
    }
    candidates.sort(Comparator.naturalOrder());
    for (double at : candidates) {
      if (finishedBy(types, counts, at) >= tasks) {
        return at;
      }
    }
    return candidates.get(candidates.size() - 1);
  }

  private static long finishedBy(List<TypeModel> types, int[] counts, double at) {
    long done = 0;
    for (int t = 0; t < types.size(); t++) {
      // The epsilon keeps k * mu / mu from flooring to k - 1.
      done += counts[t] * (long) Math.floor(at / types.get(t).meanSeconds() + 1e-9);
    }
    return done;
  }

  /** The cost of holding the mix for makespan seconds, by started billing units of unitSeconds. */
  public static double cost(List<TypeModel> types, int[] counts, double makespan, int unitSeconds) {
    long units = Math.max(1, (long) Math.ceil(makespan / unitSeconds - 1e-9));
    double perSecondOfUnits = units * (double) unitSeconds / 3600.0;
    double cost = 0;
    for (int t = 0; t < types.size(); t++) {
      cost += counts[t] * types.get(t).pricePerHour() * perSecondOfUnits;
    }
    return cost;
  }

  /** Every non-empty mix within the caps with its makespan (startup included) and cost. */
  public static List<Mix> allMixes(List<TypeModel> types, int tasks, double startupSeconds, int unitSeconds) {
    return allMixes(types, tasks, counts -> startupSeconds, unitSeconds);
  }

  /** The same, where the startup depends on the mix (e.g. none when the sampling workers can run it). */
  public static List<Mix> allMixes(List<TypeModel> types, int tasks,
      java.util.function.ToDoubleFunction<int[]> startupSeconds, int unitSeconds) {
    return allMixesTimed(types, counts -> startupSeconds.applyAsDouble(counts) + computeSeconds(types, counts, tasks),
        unitSeconds);
  }

  /**
   * The time tasks need when kept[t] workers of each type can start at keptStart and added[t] more at
   * addedStart (a worker that starts at s has finished floor((T - s) / mu_t) tasks by T): the smallest
   * moment a task ends at which enough are done. Startup included.
   */
  public static double computeSeconds(List<TypeModel> types, int[] kept, int[] added, int tasks, double keptStart,
      double addedStart) {
    if (tasks <= 0) {
      return 0;
    }
    List<Double> candidates = new ArrayList<>();
    for (int t = 0; t < types.size(); t++) {
      double mu = types.get(t).meanSeconds();
      for (int[] group : List.of(new int[] {kept[t], 0}, new int[] {added[t], 1})) {
        if (group[0] == 0) {
          continue;
        }
        double start = group[1] == 0 ? keptStart : addedStart;
        int most = (tasks + group[0] - 1) / group[0];
        for (int j = 1; j <= most; j++) {
          candidates.add(start + j * mu);
        }
      }
    }
    if (candidates.isEmpty()) {
      return Double.POSITIVE_INFINITY;
    }
    candidates.sort(Comparator.naturalOrder());
    for (double at : candidates) {
      long done = 0;
      for (int t = 0; t < types.size(); t++) {
        double mu = types.get(t).meanSeconds();
        done += kept[t] * (long) Math.max(0, Math.floor((at - keptStart) / mu + 1e-9));
        done += added[t] * (long) Math.max(0, Math.floor((at - addedStart) / mu + 1e-9));
      }
      if (done >= tasks) {
        return at;
      }
    }
    return candidates.get(candidates.size() - 1);
  }

  /** Every non-empty mix within the caps with the makespan the function gives and its cost. */
  public static List<Mix> allMixesTimed(List<TypeModel> types, java.util.function.ToDoubleFunction<int[]> makespanOf,
      int unitSeconds) {
    List<Mix> mixes = new ArrayList<>();
    for (int[] counts : mixes(types)) {
      double makespan = makespanOf.applyAsDouble(counts);
      mixes.add(new Mix(counts, makespan, cost(types, counts, makespan, unitSeconds)));
    }
    return mixes;
  }

  /** Every non-empty worker count vector within the types' caps, in odometer order (first type fastest). */
  public static List<int[]> mixes(List<TypeModel> types) {
    long combos = 1;
    for (TypeModel t : types) {
      combos *= t.maxWorkers() + 1L;
      if (combos > MAX_MIXES) {
        throw new IllegalArgumentException("too many worker mixes (more than " + MAX_MIXES + "): lower "
            + "maxWorkersPerType or the number of instance types");
      }
    }
    List<int[]> all = new ArrayList<>();
    int[] counts = new int[types.size()];
    while (next(counts, types)) {
      all.add(counts.clone());
    }
    return all;
  }

  /** Advances counts like an odometer (first type fastest); false after the last mix. */
  private static boolean next(int[] counts, List<TypeModel> types) {
    for (int t = 0; t < counts.length; t++) {
      if (counts[t] < types.get(t).maxWorkers()) {
        counts[t]++;
        return true;
      }
      counts[t] = 0;
    }
    return false;
  }

  /**
   * The Pareto front, cheapest first: each mix strictly faster than every cheaper one. Among mixes of
   * equal cost and makespan the one with fewer workers wins, then the one met first (odometer order).
   */
  public static List<Mix> paretoFront(List<Mix> mixes) {
    List<Mix> sorted = new ArrayList<>(mixes);
    sorted.sort(Comparator.comparingDouble(Mix::cost).thenComparingDouble(Mix::makespan)
        .thenComparingInt(Mix::workers));
    List<Mix> front = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (Mix m : sorted) {
      if (m.makespan() < best - 1e-9) {
        front.add(m);
        best = m.makespan();
      }
    }
    return front;
  }

  /** At most max points of the front, spread evenly by position: always its cheapest and its fastest. */
  public static List<Mix> offered(List<Mix> front, int max) {
    if (front.size() <= max) {
      return List.copyOf(front);
    }
    List<Mix> picked = new ArrayList<>();
    int last = -1;
    for (int i = 0; i < max; i++) {
      int index = (int) Math.round(i * (front.size() - 1) / (double) (max - 1));
      if (index != last) {
        picked.add(front.get(index));
        last = index;
      }
    }
    return picked;
  }

  /** The names offered schedules take: cheapest, pareto-1 ... pareto-k, fastest. */
  public static List<String> names(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(i == 0 ? "cheapest" : i == count - 1 ? "fastest" : "pareto-" + i);
    }
    return names;
  }
}
