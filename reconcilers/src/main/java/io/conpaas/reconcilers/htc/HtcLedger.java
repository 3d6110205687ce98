package io.conpaas.reconcilers.htc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Vm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable record of one HTC service (a ConfigMap, like TaskFarm's ledger): every task of every
 * job with its state (the TaskFarm task record: P pending, A assigned, D done, F failed), the bags
 * read per job, the sampling and its seconds per task per type, the worker slot layout and the VMs seen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class HtcLedger {
  public List<Task> tasks = new ArrayList<>();
  public Map<String, Vm> vms = new TreeMap<>();
  public Map<String, Job> jobs = new LinkedHashMap<>();
  /** The job being sampled (sampling) or last sampled. */
  public String sampleJob;
  public boolean sampling;
  public Map<String, Double> secondsPerTask = new TreeMap<>();
  public Map<String, Integer> sampled = new TreeMap<>();
  /** Instance type per worker slot (null: the slot's VM goes). */
  public List<String> slots = new ArrayList<>();
  /** The configuration in effect: workers per type. */
  public Map<String, Integer> configuration = new TreeMap<>();
  public int nextLine = 1;
  public int rerunAfterVmLoss;
  public String problem;
  /** Why runnable tasks wait (no worker), for status. */
  public String waiting;

  /** A job's bookkeeping: how many of its bags were read, and why the last refused one was. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Job {
    public int bags;
    public String refused;
    public String missing;
  }

  public String toJson() {
    try {
      return AgentJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static HtcLedger fromJson(String json) {
    try {
      return AgentJson.mapper().readValue(json, HtcLedger.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable HTC ledger: " + e.getOriginalMessage(), e);
    }
  }

  public HtcLedger copy() {
    return fromJson(toJson());
  }

  public List<Task> ofJob(String job) {
    return tasks.stream().filter(t -> job.equals(t.job)).toList();
  }
}
