package io.conpaas.reconcilers.taskfarm;

import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Schedule;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One pass over a TaskFarm ledger, pure: records the results workers report, returns the tasks of
 * VMs that are gone to the pending set (never while the VM may still finish them), accounts the
 * worker VMs' lifetimes, moves the phase on (Sampling -> Ready -> Executing -> Done) and hands
 * pending tasks to workers. The caller stores the new ledger BEFORE any worker's configuration lists
 * the new assignments, so a task is only ever running where the ledger says.
 */
public final class LedgerStep {
  /** Work (in predicted seconds) a worker is handed ahead, so it never waits for the next report. */
  static final double LOOKAHEAD_SECONDS = 12;
  /** Schedules offered at most. */
  static final int OFFERED = 6;
  /** Demo mode's clock runs this much faster than the real one. */
  static final int DEMO_SPEEDUP = 600;

  private LedgerStep() {}

  /** An instance type the schedules may use: price per hour and the local Cloud's slowdown. */
  public record TypeInfo(String name, double pricePerHour, double slowdown) {}

  /** A worker Agent as the pass sees it. */
  public record Worker(String agent, String type, String instanceId, boolean running, boolean vmGone,
      boolean deleting, Long vmCreatedMs, List<Result> results) {}

  /** What the pass knows besides the ledger. */
  public record Inputs(boolean demo, int maxAttempts, int sampleSize, int capPerType, int unitSeconds,
      List<TypeInfo> types, String requestedSchedule, List<Worker> workers, long nowMs) {}

  public static TaskLedger advance(TaskLedger previous, Inputs in) {
    TaskLedger l = previous.copy();
    if (l.phase.equals(TaskLedger.DONE)) {
      account(l, in);
      return l;
    }
    if (in.types().isEmpty()) {
      l.problem = "no instance type with a price: list them in the Cloud's spec.instanceTypes";
      return l;
    }
    l.problem = null;
    if (l.phase.equals(TaskLedger.SAMPLING) && l.tasks.stream().noneMatch(t -> t.sampleType != null)) {
      pickSamples(l, in);
      l.sampleStartMs = in.nowMs();
    }
    if (!in.demo()) {
      record(l, in);
      reclaim(l, in);
      account(l, in);
    }
    switch (l.phase) {
      case TaskLedger.SAMPLING -> sample(l, in);
      case TaskLedger.READY -> choose(l, in);
      case TaskLedger.EXECUTING -> execute(l, in);
      default -> { }
    }
    return l;
  }

  /** sampleSize tasks per type, spread over the bag (type j gets lines j, j+k, j+2k, ...). */
  static void pickSamples(TaskLedger l, Inputs in) {
    int k = in.types().size();
    int per = Math.max(1, Math.min(in.sampleSize(), l.tasks.size() / (2 * k)));
    for (int j = 0; j < k; j++) {
      int picked = 0;
      for (int i = j; i < l.tasks.size() && picked < per; i += k) {
        l.tasks.get(i).sampleType = in.types().get(j).name();
        picked++;
      }
    }
  }

  /** Results reported for the (line, attempt) the ledger handed to that worker. */
  static void record(TaskLedger l, Inputs in) {
    WorkerBook.record(l.tasks, in.workers(), in.maxAttempts());
  }

  /** Tasks whose VM is gone (Agent deleted, VM replaced or failed) go back to pending: never run twice at once. */
  static void reclaim(TaskLedger l, Inputs in) {
    l.rerunAfterVmLoss += WorkerBook.reclaim(l.tasks, in.workers());
  }

  /** Every live worker VM's lifetime (its last sighting moves on while its Agent exists). */
  static void account(TaskLedger l, Inputs in) {
    WorkerBook.account(l.vms, in.workers(), TaskLedger.EXECUTING.equals(l.phase), in.nowMs());
  }

  private static void sample(TaskLedger l, Inputs in) {
    if (in.demo()) {
      for (Task t : l.tasks) {
        if (t.sampleType != null && "P".equals(t.state)) {
          demoSample(t, in.types(), in.nowMs());
        }
      }
    } else {
      Map<String, List<Task>> byType = new TreeMap<>();
      l.tasks.stream().filter(t -> t.sampleType != null && "P".equals(t.state))
          .forEach(t -> byType.computeIfAbsent(t.sampleType, x -> new ArrayList<>()).add(t));
      for (Worker w : in.workers()) {
        if (!w.running()) {
          continue;
        }
        for (Task t : byType.getOrDefault(w.type(), List.of())) {
          assign(t, w, in.nowMs());
        }
        byType.remove(w.type());
      }
    }
    boolean sampled = l.tasks.stream().filter(t -> t.sampleType != null)
        .allMatch(t -> "D".equals(t.state) || "F".equals(t.state));
    if (sampled) {
      offer(l, in);
    }
  }

  /** Demo: a pending sample task is done at once with its synthetic runtime on its sample type (TaskFarm and HTC). */
  public static void demoSample(Task t, List<TypeInfo> types, long nowMs) {
    double factor = types.stream().filter(x -> x.name().equals(t.sampleType)).findFirst()
        .map(TypeInfo::slowdown).orElse(1.0);
    t.state = "D";
    t.exit = 0;
    t.type = t.sampleType;
    t.startMs = nowMs;
    t.endMs = nowMs + Math.round(demoSeconds(t.line, factor) * 1000);
    t.tail = "(demo)";
  }

  /** Deterministic demo runtime of a task: 20 to 40 seconds, times the type's slowdown. */
  public static double demoSeconds(int line, double slowdown) {
    long h = (line * 2654435761L) & 0xffffffffL;
    return (20 + h % 21) * slowdown;
  }

  /**
   * After sampling: seconds per task per type (mean runtime plus the mean gap between tasks run back to back:
   * {@link SampleRuntime}), the startup seen, the schedules for the rest; Ready (or Done: nothing left).
   */
  static void offer(TaskLedger l, Inputs in) {
    l.meanSeconds.clear();
    l.sampled.clear();
    l.gapSeconds.clear();
    for (TypeInfo type : in.types()) {
      SampleRuntime.of(l.tasks.stream().filter(t -> type.name().equals(t.sampleType) && "D".equals(t.state))
          .toList()).ifPresent(r -> {
            l.meanSeconds.put(type.name(), round(r.secondsPerTask()));
            l.gapSeconds.put(type.name(), round(r.meanGapSeconds()));
            l.sampled.put(type.name(), r.tasks());
          });
    }
    l.startupSeconds = in.demo() ? 0.0 : startup(l);
    int remaining = (int) l.count("P");
    if (remaining == 0) {
      l.phase = TaskLedger.DONE;
      return;
    }
    List<TypeInfo> usable = in.types().stream().filter(t -> l.meanSeconds.containsKey(t.name())).toList();
    if (usable.isEmpty()) {
      l.problem = "every sampled task failed: no runtime to schedule with";
      return;
    }
    List<ScheduleMath.TypeModel> models = usable.stream().map(t -> new ScheduleMath.TypeModel(t.name(),
        Math.max(0.001, l.meanSeconds.get(t.name())), t.pricePerHour(), in.capPerType())).toList();
    // The sampling workers stay for the execution: a mix they can run alone starts at once.
    List<String> samplingSlots = SlotLayout.sampling(l);
    double startup = l.startupSeconds;
    l.dispatchSeconds = in.demo() ? 0.0 : dispatchLatency(l);
    double dispatch = l.dispatchSeconds;
    // Sampling workers the mix keeps start after the dispatch latency, the VMs it adds after a boot.
    List<ScheduleMath.Mix> offered = ScheduleMath.offered(ScheduleMath.paretoFront(
        ScheduleMath.allMixesTimed(models, counts -> {
          int[] kept = new int[counts.length];
          int[] added = new int[counts.length];
          for (int t = 0; t < counts.length; t++) {
            String type = models.get(t).name();
            kept[t] = Math.min(counts[t], (int) samplingSlots.stream().filter(type::equals).count());
            added[t] = counts[t] - kept[t];
          }
          return ScheduleMath.computeSeconds(models, kept, added, remaining, dispatch, startup);
        }, in.unitSeconds())), OFFERED);
    List<String> names = ScheduleMath.names(offered.size());
    l.schedules.clear();
    for (int i = 0; i < offered.size(); i++) {
      Schedule s = new Schedule();
      s.name = names.get(i);
      s.cost = round(offered.get(i).cost());
      s.makespan = round(offered.get(i).makespan());
      for (int t = 0; t < models.size(); t++) {
        if (offered.get(i).counts()[t] > 0) {
          s.workers.put(models.get(t).name(), offered.get(i).counts()[t]);
        }
      }
      l.schedules.add(s);
    }
    l.phase = TaskLedger.READY;
    choose(l, in);
  }

  private static Map<String, Integer> mix(List<ScheduleMath.TypeModel> models, int[] counts) {
    Map<String, Integer> mix = new LinkedHashMap<>();
    for (int t = 0; t < models.size(); t++) {
      if (counts[t] > 0) {
        mix.put(models.get(t).name(), counts[t]);
      }
    }
    return mix;
  }

  /** Mean seconds from a sampling worker's first assignment to its first task's start (0 when none). */
  static double dispatchLatency(TaskLedger l) {
    List<Double> waits = new ArrayList<>();
    l.vms.forEach((id, vm) -> {
      List<Task> ran = l.tasks.stream().filter(t -> id.equals(t.vm) && t.startMs != null && t.assignedMs != null)
          .toList();
      long assigned = ran.stream().mapToLong(t -> t.assignedMs).min().orElse(0);
      ran.stream().mapToLong(t -> t.startMs).min().ifPresent(first -> waits.add(Math.max(0, (first - assigned) / 1000.0)));
    });
    return round(waits.stream().mapToDouble(Double::doubleValue).average().orElse(0));
  }

  /**
   * Seconds from the start of the sampling (the pass that asked for its workers) to a sampling worker's first
   * task: the launch lag (to the first sampling VM's creation) plus the mean boot (a VM's creation to its first
   * task's start). A VM the execution adds goes the same way from the pass that chose the schedule. 0 when no
   * task started.
   */
  static double startup(TaskLedger l) {
    List<Double> boots = new ArrayList<>();
    long firstCreated = Long.MAX_VALUE;
    for (Map.Entry<String, Vm> e : l.vms.entrySet()) {
      Vm vm = e.getValue();
      var first = l.tasks.stream().filter(t -> e.getKey().equals(t.vm) && t.startMs != null).mapToLong(t -> t.startMs)
          .min();
      if (first.isPresent()) {
        boots.add(Math.max(0, first.getAsLong() - vm.createdMs) / 1000.0);
        firstCreated = Math.min(firstCreated, vm.createdMs);
      }
    }
    if (boots.isEmpty()) {
      return 0;
    }
    double lag = l.sampleStartMs == null ? 0 : Math.max(0, firstCreated - l.sampleStartMs) / 1000.0;
    return round(lag + boots.stream().mapToDouble(Double::doubleValue).average().orElse(0));
  }

  /** Ready: the schedule the spec names, when it is one offered, starts the execution. */
  static void choose(TaskLedger l, Inputs in) {
    Optional<Schedule> chosen = l.schedules.stream().filter(s -> s.name.equals(in.requestedSchedule())).findFirst();
    if (in.requestedSchedule() != null && chosen.isEmpty()) {
      l.problem = "spec.schedule " + in.requestedSchedule() + " is not one of the offered schedules";
      return;
    }
    if (chosen.isEmpty()) {
      return;
    }
    l.phase = TaskLedger.EXECUTING;
    l.chosen = chosen.get().name;
    l.execStartMs = in.nowMs();
    l.predictedCost = chosen.get().cost;
    l.predictedMakespan = chosen.get().makespan;
    l.tasks.stream().filter(t -> "P".equals(t.state)).forEach(t -> t.exec = true);
    for (Vm vm : l.vms.values()) {
      if (vm.lastSeenMs >= in.nowMs()) {
        // A sampling worker that carries on: the execution pays only the units it adds.
        vm.execution = true;
        vm.unitsBeforeExec = TaskLedger.units(vm.lastSeenMs - vm.createdMs, in.unitSeconds());
      }
    }
    if (in.demo()) {
      simulate(l, in, chosen.get());
    } else {
      // The workers already up start now, not a pass later.
      dispatch(l, in);
    }
  }

  /**
   * Demo execution: list scheduling of the pending tasks on the chosen mix, each task's runtime drawn
   * (deterministically) from its type's sampled runtimes; the simulated times run DEMO_SPEEDUP times faster.
   */
  static void simulate(TaskLedger l, Inputs in, Schedule s) {
    Map<String, List<Double>> drawn = new LinkedHashMap<>();
    for (String type : s.workers.keySet()) {
      drawn.put(type, l.tasks.stream().filter(t -> type.equals(t.sampleType) && "D".equals(t.state))
          .map(t -> (t.endMs - t.startMs) / 1000.0).toList());
    }
    List<String> workerTypes = new ArrayList<>();
    s.workers.forEach((type, n) -> { for (int i = 0; i < n; i++) { workerTypes.add(type); } });
    WorkerBook.simulate(l.tasks.stream().filter(t -> "P".equals(t.state)).toList(), workerTypes, (t, type) -> {
      List<Double> sample = drawn.get(type);
      return sample.get(Math.floorMod(t.line * 31, sample.size()));
    }, l.execStartMs, DEMO_SPEEDUP);
  }

  private static void execute(TaskLedger l, Inputs in) {
    if (in.demo()) {
      WorkerBook.finishSimulated(l.tasks, in.nowMs());
    } else {
      dispatch(l, in);
    }
    if (l.count("P") == 0 && l.count("A") == 0) {
      long last = l.tasks.stream().filter(t -> t.exec && t.endMs != null).mapToLong(t -> t.endMs).max()
          .orElse(l.execStartMs);
      double seconds = (last - l.execStartMs) / 1000.0;
      l.actualMakespan = round(in.demo() ? seconds * DEMO_SPEEDUP : seconds);
      l.phase = TaskLedger.DONE;
    }
  }

  /**
   * Hands pending tasks (lowest line first) to running workers, each time to the one with the least
   * predicted work outstanding, until every worker holds the horizon's work (at least 2 tasks).
   */
  static void dispatch(TaskLedger l, Inputs in) {
    // Only workers of the chosen mix: a sampling worker the mix does not keep is about to go.
    Map<String, Integer> wanted = new HashMap<>(l.schedules.stream().filter(x -> x.name.equals(l.chosen))
        .findFirst().map(x -> x.workers).orElse(Map.of()));
    List<Worker> running = new ArrayList<>();
    for (Worker w : in.workers().stream().filter(Worker::running).filter(w -> l.meanSeconds.containsKey(w.type()))
        .sorted(Comparator.comparing(Worker::agent)).toList()) {
      if (wanted.getOrDefault(w.type(), 0) > 0) {
        running.add(w);
        wanted.merge(w.type(), -1, Integer::sum);
      }
    }
    if (running.isEmpty()) {
      return;
    }
    // No worker takes more than the predicted rest of the execution (the work left over the whole mix's
    // rate), so workers that boot later still find tasks; never more than LOOKAHEAD_SECONDS ahead.
    double rate = 0;
    Optional<Schedule> chosen = l.schedules.stream().filter(x -> x.name.equals(l.chosen)).findFirst();
    if (chosen.isPresent()) {
      for (Map.Entry<String, Integer> e : chosen.get().workers.entrySet()) {
        rate += e.getValue() / Math.max(0.001, l.meanSeconds.getOrDefault(e.getKey(), 1.0));
      }
    }
    double rest = rate == 0 ? LOOKAHEAD_SECONDS : (l.count("P") + l.count("A")) / rate;
    WorkerBook.dispatch(l.tasks, running, l.meanSeconds, Math.min(LOOKAHEAD_SECONDS, rest), t -> true, in.nowMs());
  }

  private static void assign(Task t, Worker w, long nowMs) {
    WorkerBook.assign(t, w, nowMs);
  }

  public static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
