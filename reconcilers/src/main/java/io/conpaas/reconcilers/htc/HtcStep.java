package io.conpaas.reconcilers.htc;

import io.conpaas.reconcilers.taskfarm.BagParser;
import io.conpaas.reconcilers.taskfarm.LedgerStep;
import io.conpaas.reconcilers.taskfarm.LedgerStep.TypeInfo;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Worker;
import io.conpaas.reconcilers.taskfarm.SampleRuntime;
import io.conpaas.reconcilers.taskfarm.SlotLayout;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import io.conpaas.reconcilers.taskfarm.WorkerBook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One pass over an HTC ledger, pure: reads new bags into their jobs (a workflow bag with a cycle is
 * refused), records results and reclaims tasks of lost VMs (shared with TaskFarm: {@link WorkerBook}),
 * samples a job on one worker per type into seconds per task, derives the configuration (the spec's
 * pools, or the cheapest one for the target throughput), lays the slots out and hands eligible tasks
 * to the running workers of the layout. The caller stores the ledger before any worker sees it.
 */
public final class HtcStep {
  /** Most tasks one service's ledger holds (one ConfigMap, ≤ 1 MiB). */
  static final int MAX_TASKS = 2000;
  /** Work (predicted seconds) a worker is handed ahead, so it never waits for the next pass. */
  static final double LOOKAHEAD_SECONDS = 12;
  /** Demo mode's clock runs this much faster than the real one. */
  static final int DEMO_SPEEDUP = 600;

  private HtcStep() {}

  /** A job as the spec has it, with the text of its bags not yet read (in order) and a bag that cannot be read. */
  public record JobInput(String name, boolean submitted, List<String> unreadBags, String missing) {}

  /** What the pass knows besides the ledger. */
  public record Inputs(boolean demo, String type, int maxAttempts, int sampleSize, int capPerType,
      List<TypeInfo> types, List<JobInput> jobs, String sampleJob, Map<String, Integer> pools, Double target,
      String agentPrefix, List<Worker> workers, long nowMs) {
    boolean workflow() {
      return "workflow".equals(type);
    }

    boolean online() {
      return "online".equals(type);
    }
  }

  public static HtcLedger advance(HtcLedger previous, Inputs in) {
    HtcLedger l = previous.copy();
    l.problem = null;
    ingest(l, in);
    if (!in.demo()) {
      WorkerBook.record(l.tasks, in.workers(), in.maxAttempts());
      l.rerunAfterVmLoss += WorkerBook.reclaim(l.tasks, in.workers());
      WorkerBook.account(l.vms, in.workers(), true, in.nowMs());
    }
    failOrphans(l);
    if (in.types().isEmpty()) {
      l.problem = "no instance type with a price: list them in the Cloud's spec.instanceTypes";
      return l;
    }
    sample(l, in);
    configure(l, in);
    if (in.demo()) {
      l.slots = new ArrayList<>();
      simulate(l, in);
    } else {
      // Until pools or a target are set, the workers there are stay (the sampling ones, whose first billing hour
      // is paid): they are the "current configuration" submit runs with.
      boolean unconfigured = in.pools().isEmpty() && (in.target() == null || in.target() <= 0);
      if (l.sampling || !unconfigured) {
        l.slots = new ArrayList<>(SlotLayout.of(l.slots, slotMix(l)));
      }
      dispatch(l, in);
      // Said in status, not a problem: a problem would freeze the Agents (pools set to none must still go).
      Predicate<Task> eligible = eligible(l, in);
      l.waiting = l.slots.stream().allMatch(s -> s == null)
          && l.tasks.stream().anyMatch(t -> "P".equals(t.state) && eligible.test(t))
          ? "tasks wait for workers: set spec.workerPools, or sample a job and select a target throughput "
              + "(kubectl conpaas htc sample, select)" : null;
    }
    return l;
  }

  /** New bags of each job become tasks; a bag that does not parse (or closes a cycle) is refused whole. */
  static void ingest(HtcLedger l, Inputs in) {
    for (JobInput job : in.jobs()) {
      HtcLedger.Job rec = l.jobs.computeIfAbsent(job.name(), x -> new HtcLedger.Job());
      rec.missing = job.missing();
      for (String text : job.unreadBags()) {
        rec.bags++;
        try {
          List<Task> added = parse(l, job.name(), text, in.workflow());
          if (l.tasks.size() + added.size() > MAX_TASKS) {
            throw new IllegalArgumentException("the service would hold more than " + MAX_TASKS + " tasks");
          }
          for (Task t : added) {
            t.line = l.nextLine++;
            t.job = job.name();
            l.tasks.add(t);
          }
          rec.refused = null;
        } catch (IllegalArgumentException e) {
          rec.refused = "bag " + rec.bags + " of job " + job.name() + " refused: " + e.getMessage();
        }
      }
    }
  }

  private static List<Task> parse(HtcLedger l, String job, String text, boolean workflow) {
    List<Task> out = new ArrayList<>();
    if (workflow) {
      Map<String, List<String>> earlier = new LinkedHashMap<>();
      l.ofJob(job).forEach(t -> earlier.put(t.name, t.after == null ? List.of() : t.after));
      for (WorkflowBag.Node n : WorkflowBag.parse(text, earlier)) {
        Task t = new Task();
        t.cmd = n.command();
        t.name = n.name();
        t.after = n.after().isEmpty() ? null : n.after();
        out.add(t);
      }
    } else {
      for (String cmd : BagParser.parse(text)) {
        Task t = new Task();
        t.cmd = cmd;
        out.add(t);
      }
    }
    return out;
  }

  /** A pending task whose dependency failed cannot run: it fails too, naming the dependency. */
  static void failOrphans(HtcLedger l) {
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, Task> byName = names(l);
      for (Task t : l.tasks) {
        if (!"P".equals(t.state) || t.after == null) {
          continue;
        }
        Optional<String> failed = t.after.stream().filter(d -> {
          Task dep = byName.get(t.job + "/" + d);
          return dep != null && "F".equals(dep.state);
        }).findFirst();
        if (failed.isPresent()) {
          t.state = "F";
          t.exit = -2;
          t.tail = "not run: task " + failed.get() + " it waits for failed";
          changed = true;
        }
      }
    }
  }

  private static Map<String, Task> names(HtcLedger l) {
    Map<String, Task> byName = new HashMap<>();
    l.tasks.stream().filter(t -> t.name != null).forEach(t -> byName.put(t.job + "/" + t.name, t));
    return byName;
  }

  /** Whether the task may run now: its job is in the spec and submitted (or online), its dependencies done. */
  static Predicate<Task> eligible(HtcLedger l, Inputs in) {
    Set<String> runnable = in.jobs().stream().filter(j -> j.submitted() || in.online()).map(JobInput::name)
        .collect(Collectors.toSet());
    Map<String, Task> byName = names(l);
    return t -> t.sampleType == null && runnable.contains(t.job) && (t.after == null || t.after.stream()
        .allMatch(d -> byName.containsKey(t.job + "/" + d) && "D".equals(byName.get(t.job + "/" + d).state)));
  }

  /**
   * Sampling (manual sample): the job's first runnable pending tasks, sampleSize per type (fewer when the
   * job is small); when every one finished, seconds per task per type = mean runtime + mean gap between
   * tasks run back to back on that type's worker ({@link SampleRuntime}, shared with TaskFarm).
   */
  static void sample(HtcLedger l, Inputs in) {
    String job = in.sampleJob();
    if (job != null && !job.equals(l.sampleJob) && l.jobs.containsKey(job)) {
      Map<String, Task> byName = names(l);
      List<Task> candidates = l.tasks.stream().filter(t -> job.equals(t.job) && "P".equals(t.state))
          .filter(t -> t.after == null || t.after.stream().allMatch(d -> byName.containsKey(job + "/" + d)
              && "D".equals(byName.get(job + "/" + d).state)))
          .toList();
      if (candidates.isEmpty()) {
        l.problem = "job " + job + " has no pending task to sample";
        return;
      }
      l.tasks.forEach(t -> t.sampleType = "D".equals(t.state) || "F".equals(t.state) ? t.sampleType : null);
      int k = in.types().size();
      int per = Math.max(1, Math.min(in.sampleSize(), candidates.size() / k));
      for (int j = 0; j < k; j++) {
        for (int i = j, picked = 0; i < candidates.size() && picked < per; i += k, picked++) {
          candidates.get(i).sampleType = in.types().get(j).name();
          candidates.get(i).exec = false;
        }
      }
      l.sampleJob = job;
      l.sampling = true;
    }
    if (!l.sampling) {
      return;
    }
    List<Task> samples = l.tasks.stream().filter(t -> job(l).equals(t.job) && t.sampleType != null).toList();
    if (in.demo()) {
      for (Task t : samples) {
        if ("P".equals(t.state)) {
          LedgerStep.demoSample(t, in.types(), in.nowMs());
        }
      }
    } else {
      Map<String, List<Task>> byType = new TreeMap<>();
      samples.stream().filter(t -> "P".equals(t.state))
          .forEach(t -> byType.computeIfAbsent(t.sampleType, x -> new ArrayList<>()).add(t));
      for (Worker w : runningInSlots(l, in)) {
        for (Task t : byType.getOrDefault(w.type(), List.of())) {
          WorkerBook.assign(t, w, in.nowMs());
        }
        byType.remove(w.type());
      }
    }
    if (samples.stream().allMatch(t -> "D".equals(t.state) || "F".equals(t.state))) {
      l.secondsPerTask.clear();
      l.sampled.clear();
      for (TypeInfo type : in.types()) {
        List<Task> ran = samples.stream().filter(t -> type.name().equals(t.sampleType) && "D".equals(t.state)).toList();
        SampleRuntime.of(ran).ifPresent(r -> {
          l.secondsPerTask.put(type.name(), LedgerStep.round(Math.max(0.001, r.secondsPerTask())));
          l.sampled.put(type.name(), r.tasks());
        });
      }
      l.sampling = false;
      if (l.secondsPerTask.isEmpty()) {
        l.problem = "every sampled task of job " + job(l) + " failed: no runtime to model";
      }
    }
  }

  private static String job(HtcLedger l) {
    return l.sampleJob == null ? "" : l.sampleJob;
  }

  /** The types the function covers: those sampled, with their price and cap. */
  static List<ThroughputMath.TypeRate> rates(HtcLedger l, Inputs in) {
    return in.types().stream().filter(t -> l.secondsPerTask.containsKey(t.name()))
        .map(t -> new ThroughputMath.TypeRate(t.name(), l.secondsPerTask.get(t.name()), t.pricePerHour(),
            in.capPerType())).toList();
  }

  /** The configuration: the spec's pools when set, else the cheapest one for the target (when sampled). */
  static void configure(HtcLedger l, Inputs in) {
    Map<String, Integer> mix = new TreeMap<>();
    if (!in.pools().isEmpty()) {
      in.pools().forEach((type, n) -> {
        if (n > 0) {
          mix.put(type, n);
        }
      });
      List<String> known = in.types().stream().map(TypeInfo::name).toList();
      mix.keySet().stream().filter(t -> !known.contains(t)).findFirst().ifPresent(t ->
          l.problem = "workerPools: instance type " + t + " has no price in the Cloud's spec.instanceTypes");
      mix.keySet().retainAll(known);
    } else if (in.target() != null && in.target() > 0) {
      List<ThroughputMath.TypeRate> rates = rates(l, in);
      if (rates.isEmpty()) {
        l.problem = "targetThroughput needs a sampled job first (kubectl conpaas htc sample)";
      } else {
        List<ThroughputMath.Point> f = ThroughputMath.function(rates);
        Optional<ThroughputMath.Point> p = ThroughputMath.configuration(f, in.target());
        if (p.isEmpty()) {
          l.problem = "targetThroughput " + in.target() + " tasks/hour is above TMAX " + LedgerStep.round(
              ThroughputMath.tmax(f));
        } else {
          for (int t = 0; t < rates.size(); t++) {
            if (p.get().counts()[t] > 0) {
              mix.put(rates.get(t).name(), p.get().counts()[t]);
            }
          }
        }
      }
    }
    l.configuration = mix;
  }

  /**
   * The configuration, plus one worker of each sampled type while the sampling lasts (a type done early
   * keeps its worker: it is likely part of the configuration the user selects next).
   */
  static Map<String, Integer> slotMix(HtcLedger l) {
    Map<String, Integer> mix = new LinkedHashMap<>(l.configuration);
    if (l.sampling) {
      l.tasks.stream().filter(t -> t.sampleType != null && job(l).equals(t.job))
          .map(t -> t.sampleType).distinct().forEach(type -> mix.merge(type, 1, Math::max));
    }
    return mix;
  }

  /** Running workers whose slot (by Agent name) still has their instance type in the layout. */
  static List<Worker> runningInSlots(HtcLedger l, Inputs in) {
    List<Worker> running = new ArrayList<>();
    for (Worker w : in.workers()) {
      int slot = slotOf(w.agent(), in.agentPrefix());
      if (w.running() && slot >= 0 && slot < l.slots.size() && w.type() != null && w.type().equals(l.slots.get(slot))) {
        running.add(w);
      }
    }
    running.sort(java.util.Comparator.comparing(Worker::agent));
    return running;
  }

  /** The slot of an Agent named prefix + index, -1 for any other name. */
  static int slotOf(String agent, String prefix) {
    if (agent == null || !agent.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(agent.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Hands eligible tasks to the layout's running workers, each holding at most the lookahead's work or
   * the predicted rest of the runnable tasks at the pool's rate (so a finite bag ends evenly).
   */
  static void dispatch(HtcLedger l, Inputs in) {
    List<Worker> running = runningInSlots(l, in);
    if (running.isEmpty()) {
      return;
    }
    Predicate<Task> eligible = eligible(l, in);
    Map<String, Double> seconds = new HashMap<>();
    double rate = 0;
    for (Worker w : running) {
      double s = l.secondsPerTask.getOrDefault(w.type(), 1.0);
      seconds.put(w.type(), s);
      rate += 1 / s;
    }
    long work = l.tasks.stream().filter(t -> "A".equals(t.state) || ("P".equals(t.state) && eligible.test(t))).count();
    double horizon = Math.min(LOOKAHEAD_SECONDS, work / rate);
    WorkerBook.dispatch(l.tasks, running, seconds, horizon, eligible, in.nowMs());
  }

  /**
   * Demo: once the previous simulated round finished, the eligible tasks run on virtual workers of the
   * configuration, each taking its sampled type's demo runtime, DEMO_SPEEDUP times faster.
   */
  static void simulate(HtcLedger l, Inputs in) {
    WorkerBook.finishSimulated(l.tasks, in.nowMs());
    if (l.tasks.stream().anyMatch(t -> "A".equals(t.state)) || l.configuration.isEmpty()) {
      return;
    }
    Predicate<Task> eligible = eligible(l, in);
    List<Task> ready = l.tasks.stream().filter(t -> "P".equals(t.state) && eligible.test(t)).toList();
    List<String> workerTypes = new ArrayList<>();
    l.configuration.forEach((type, n) -> { for (int i = 0; i < n; i++) { workerTypes.add(type); } });
    WorkerBook.simulate(ready, workerTypes, (t, type) -> l.secondsPerTask.getOrDefault(type,
        LedgerStep.demoSeconds(t.line, 1.0)), in.nowMs(), DEMO_SPEEDUP);
  }
}
