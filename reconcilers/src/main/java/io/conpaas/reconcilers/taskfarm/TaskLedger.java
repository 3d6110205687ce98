package io.conpaas.reconcilers.taskfarm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.conpaas.agent.api.AgentJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable record of one TaskFarm bag (kept in a ConfigMap, see {@link LedgerStore}): the phase,
 * every task's state, dispatch number, failures, the worker and VM it was handed to, its result;
 * every worker VM seen with its type and lifetime (the money spent); the schedules offered and the
 * chosen one with its predictions. Plain fields for JSON; {@link LedgerStep} works on a copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class TaskLedger {
  public static final String SAMPLING = "Sampling";
  public static final String READY = "Ready";
  public static final String EXECUTING = "Executing";
  public static final String DONE = "Done";

  public String phase = SAMPLING;
  public List<Task> tasks = new ArrayList<>();
  public Map<String, Vm> vms = new TreeMap<>();
  public List<Schedule> schedules = new ArrayList<>();
  public Map<String, Double> meanSeconds = new TreeMap<>();
  public Map<String, Integer> sampled = new TreeMap<>();
  /** Per type: the mean idle time between consecutive sampled tasks on one VM (included in meanSeconds). */
  public Map<String, Double> gapSeconds = new TreeMap<>();
  /** When the sampling began: the pass that made the ledger (and asked for the sampling workers). */
  public Long sampleStartMs;
  public Double startupSeconds;
  public Double dispatchSeconds;
  public String chosen;
  public Long execStartMs;
  public Double predictedCost;
  public Double predictedMakespan;
  public Double actualMakespan;
  public Double moneyAtExecStart;
  public int rerunAfterVmLoss;
  public String problem;

  /** One line of the bag. States: P pending, A assigned, D done, F failed after its attempts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Task {
    public int line;
    public String cmd;
    public String state = "P";
    public int attempt;
    public int failures;
    public String agent;
    public String vm;
    public String type;
    public String sampleType;
    public Integer exit;
    public Long assignedMs;
    public Long startMs;
    public Long endMs;
    public String tail;
    public boolean exec;
    /** HTC: the job the task belongs to, its workflow name and the names it waits for. */
    public String job;
    public String name;
    public List<String> after;
  }

  /** A worker VM: its Agent, instance type, creation and when it was last seen alive. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Vm {
    public String agent;
    public String type;
    public long createdMs;
    public long lastSeenMs;
    public boolean execution;
    public Long unitsBeforeExec;
  }

  /** An offered schedule: workers per type, predicted cost and makespan (seconds). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Schedule {
    public String name;
    public double cost;
    public double makespan;
    public Map<String, Integer> workers = new TreeMap<>();
  }

  /** A new ledger for the bag's commands (line numbers are 1-based positions among the kept lines). */
  public static TaskLedger forBag(List<String> commands) {
    TaskLedger l = new TaskLedger();
    for (int i = 0; i < commands.size(); i++) {
      Task t = new Task();
      t.line = i + 1;
      t.cmd = commands.get(i);
      l.tasks.add(t);
    }
    return l;
  }

  public String toJson() {
    try {
      return AgentJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TaskLedger fromJson(String json) {
    try {
      return AgentJson.mapper().readValue(json, TaskLedger.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable TaskFarm ledger: " + e.getOriginalMessage(), e);
    }
  }

  /** A deep copy. */
  public TaskLedger copy() {
    return fromJson(toJson());
  }

  public long count(String state) {
    return tasks.stream().filter(t -> state.equals(t.state)).count();
  }

  /** Started billing units of a VM that lived millis (at least one: a started VM is paid). */
  public static long units(long millis, int unitSeconds) {
    return Math.max(1, (long) Math.ceil(Math.max(0, millis) / 1000.0 / unitSeconds - 1e-9));
  }

  /**
   * Money spent on the VMs seen so far: each paid by started billing units from creation to last sight;
   * executionOnly: the VMs the execution used, less the units sampling workers had paid before it.
   */
  public double moneySpent(Map<String, Double> pricePerHour, int unitSeconds, boolean executionOnly) {
    double total = 0;
    for (Vm vm : vms.values()) {
      if (executionOnly && !vm.execution) {
        continue;
      }
      long units = units(vm.lastSeenMs - vm.createdMs, unitSeconds);
      if (executionOnly && vm.unitsBeforeExec != null) {
        units -= vm.unitsBeforeExec;
      }
      total += pricePerHour.getOrDefault(vm.type, 0.0) * units * unitSeconds / 3600.0;
    }
    return total;
  }
}
