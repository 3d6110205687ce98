package io.conpaas.reconcilers.taskfarm;

import io.conpaas.agent.api.TaskFarmKeys;
import io.conpaas.agent.api.TaskFarmKeys.Assignment;
import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Worker;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Vm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The worker bookkeeping TaskFarm and HTC share, pure except for reading Agents: which workers exist,
 * the results they report, tasks of lost VMs back to pending, VM lifetimes (money), handing tasks
 * out by least predicted load, and a worker's configuration (its assigned tasks). A task is
 * assigned in the ledger before any configuration lists it, so it only ever runs where the ledger says.
 */
public final class WorkerBook {
  /** Phases in which a VM is gone from under its Agent (replaced or failed). */
  private static final Set<AgentPhase> VM_GONE = EnumSet.of(AgentPhase.Pending, AgentPhase.Creating,
      AgentPhase.Failed);
  /** Output bytes kept per successful task in the ledger (failed tasks keep the agent's whole tail). */
  static final int DONE_TAIL = 160;

  private WorkerBook() {}

  /** The role's Agents as workers: their type, VM, whether they run, and the results they report. */
  public static List<Worker> workers(ServiceContext<?> context, String role) {
    List<Worker> workers = new ArrayList<>();
    for (Agent a : context.agents()) {
      if (a.getSpec() == null || !role.equals(a.getSpec().getRole())) {
        continue;
      }
      var st = a.getStatus();
      boolean deleting = a.getMetadata().getDeletionTimestamp() != null;
      String instanceId = st == null ? null : st.getInstanceId();
      boolean running = st != null && st.getPhase() == AgentPhase.Running && !deleting && instanceId != null;
      boolean gone = st != null && st.getPhase() != null && VM_GONE.contains(st.getPhase());
      Long created = st == null || st.getVmCreatedAt() == null ? null : Instant.parse(st.getVmCreatedAt()).toEpochMilli();
      List<Result> results;
      try {
        results = st == null || st.getFacts() == null ? List.of() : TaskFarmKeys.results(st.getFacts().get(TaskFarmKeys.RESULTS));
      } catch (IllegalArgumentException e) {
        results = List.of();
      }
      workers.add(new Worker(a.getMetadata().getName(), a.getSpec().getInstanceType(), instanceId, running, gone,
          deleting, created, results));
    }
    return workers;
  }

  /** A worker's configuration: the tasks assigned to it (by line) and its type's slowdown. */
  public static Map<String, String> workerConfig(List<Task> tasks, String agent, double slowdown, int timeoutSeconds) {
    List<Assignment> mine = tasks.stream().filter(t -> "A".equals(t.state) && agent.equals(t.agent))
        .sorted(Comparator.comparingInt(t -> t.line))
        .map(t -> new Assignment(t.line, t.attempt, t.cmd, timeoutSeconds)).toList();
    Map<String, String> config = new LinkedHashMap<>();
    config.put(TaskFarmKeys.TASKS, TaskFarmKeys.toJson(mine));
    config.put(TaskFarmKeys.SLOWDOWN, Double.toString(slowdown));
    return config;
  }

  /** Records the results reported for the (line, attempt) handed to that worker; failures retry up to maxAttempts. */
  public static void record(List<Task> tasks, List<Worker> workers, int maxAttempts) {
    Map<Integer, Task> byLine = new HashMap<>();
    tasks.forEach(t -> byLine.put(t.line, t));
    for (Worker w : workers) {
      for (Result r : w.results()) {
        Task t = byLine.get(r.line());
        if (t == null || !"A".equals(t.state) || !w.agent().equals(t.agent) || t.attempt != r.attempt()) {
          continue;
        }
        t.exit = r.exitCode();
        t.startMs = r.startedMs();
        t.endMs = r.endedMs();
        t.type = w.type();
        if (r.exitCode() == 0) {
          t.state = "D";
          t.tail = tail(r.tail(), DONE_TAIL);
        } else {
          t.failures++;
          t.tail = tail(r.tail(), TaskFarmKeys.TAIL_BYTES);
          t.state = t.failures >= maxAttempts ? "F" : "P";
        }
        t.agent = null;
      }
    }
  }

  /**
   * Tasks whose VM is gone (Agent deleted, VM replaced or failed) go back to pending, never while the
   * VM may still finish them; returns how many.
   */
  public static int reclaim(List<Task> tasks, List<Worker> workers) {
    Map<String, Worker> byName = new HashMap<>();
    workers.forEach(w -> byName.put(w.agent(), w));
    int reclaimed = 0;
    for (Task t : tasks) {
      if (!"A".equals(t.state)) {
        continue;
      }
      Worker w = byName.get(t.agent);
      if (w == null || w.vmGone() || !t.vm.equals(w.instanceId())) {
        t.state = "P";
        t.agent = null;
        t.vm = null;
        reclaimed++;
      }
    }
    return reclaimed;
  }

  /** Every live worker VM's lifetime (its last sighting moves on while its Agent exists). */
  public static void account(Map<String, Vm> vms, List<Worker> workers, boolean execution, long nowMs) {
    for (Worker w : workers) {
      if (w.instanceId() == null || w.vmCreatedMs() == null || w.vmGone()) {
        continue;
      }
      Vm vm = vms.get(w.instanceId());
      if (vm == null) {
        vm = new Vm();
        vm.agent = w.agent();
        vm.type = w.type();
        vm.createdMs = w.vmCreatedMs();
        vm.execution = execution;
        vms.put(w.instanceId(), vm);
      }
      vm.lastSeenMs = Math.max(vm.lastSeenMs, nowMs);
    }
  }

  /**
   * Hands the eligible pending tasks (lowest line first) to the running workers, each time to the one
   * with the least predicted work outstanding, while a worker holds fewer than 2 tasks or less than
   * horizon seconds of predicted work. secondsByType: the predicted seconds of one task per type.
   */
  public static void dispatch(List<Task> tasks, List<Worker> running, Map<String, Double> secondsByType,
      double horizon, Predicate<Task> eligible, long nowMs) {
    if (running.isEmpty()) {
      return;
    }
    double[] load = new double[running.size()];
    int[] held = new int[running.size()];
    double[] mean = new double[running.size()];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < running.size(); i++) {
      mean[i] = secondsByType.getOrDefault(running.get(i).type(), 1.0);
      index.put(running.get(i).agent(), i);
    }
    for (Task t : tasks) {
      Integer i = "A".equals(t.state) ? index.get(t.agent) : null;
      if (i != null) {
        load[i] += mean[i];
        held[i]++;
      }
    }
    for (Task t : tasks) {
      if (!"P".equals(t.state) || !eligible.test(t)) {
        continue;
      }
      int best = -1;
      for (int i = 0; i < running.size(); i++) {
        boolean room = held[i] < 2 || load[i] <= horizon;
        if (room && (best < 0 || load[i] + mean[i] < load[best] + mean[best])) {
          best = i;
        }
      }
      if (best < 0) {
        return;
      }
      assign(t, running.get(best), nowMs);
      load[best] += mean[best];
      held[best]++;
    }
  }

  /** Records the task as handed to the worker's current VM, with the next dispatch number. */
  public static void assign(Task t, Worker w, long nowMs) {
    t.assignedMs = nowMs;
    t.state = "A";
    t.attempt++;
    t.agent = w.agent();
    t.vm = w.instanceId();
  }

  /**
   * Demo execution: list scheduling of the tasks on virtual workers of the given types, each task's
   * runtime from runtimeOf (seconds), the clock running speedup times faster from startMs; the tasks
   * become assigned with the simulated start and end (done once the clock passes their end).
   */
  public static void simulate(List<Task> pending, List<String> workerTypes,
      java.util.function.BiFunction<Task, String, Double> runtimeOf, long startMs, int speedup) {
    double[] free = new double[workerTypes.size()];
    for (Task t : pending) {
      int w = 0;
      for (int i = 1; i < free.length; i++) {
        if (free[i] < free[w]) {
          w = i;
        }
      }
      double secs = runtimeOf.apply(t, workerTypes.get(w));
      t.state = "A";
      t.attempt++;
      t.agent = "demo-" + w;
      t.type = workerTypes.get(w);
      t.startMs = startMs + Math.round(free[w] * 1000 / speedup);
      free[w] += secs;
      t.endMs = startMs + Math.round(free[w] * 1000 / speedup);
    }
  }

  /** Demo: assigned tasks whose simulated end has passed are done. */
  public static void finishSimulated(List<Task> tasks, long nowMs) {
    for (Task t : tasks) {
      if ("A".equals(t.state) && t.endMs != null && t.endMs <= nowMs) {
        t.state = "D";
        t.exit = 0;
        t.tail = "(demo)";
      }
    }
  }

  static String tail(String s, int max) {
    if (s == null) {
      return null;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return b.length <= max ? s : new String(b, b.length - max, max, StandardCharsets.UTF_8);
  }
}
