package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Status of an HtcService: the common status plus the throughput function, the configuration and jobs. */
public class HtcServiceStatus extends ServiceStatus {
  @JsonPropertyDescription("throughput = f(cost) from the sampled job (absent until a job was sampled).")
  private HtcThroughputFunction throughputFunction;

  @JsonPropertyDescription("The worker configuration in effect (workerPools, or the one for targetThroughput).")
  private List<WorkerCount> configuration = new ArrayList<>();

  @JsonPropertyDescription("Progress of each job.")
  private List<HtcJobStatus> jobs = new ArrayList<>();

  @JsonPropertyDescription("Money spent on worker VMs so far, in the Cloud's currency (per started hour).")
  private Double moneySpent;

  @JsonPropertyDescription("Tasks that failed after their attempts (at most 20 listed).")
  private List<TaskFarmFailedTask> failedTasks = new ArrayList<>();

  @JsonPropertyDescription("The ConfigMap holding every task's state, attempts and output tail.")
  private String ledger;

  public HtcThroughputFunction getThroughputFunction() { return throughputFunction; }
  public void setThroughputFunction(HtcThroughputFunction throughputFunction) { this.throughputFunction = throughputFunction; }
  public List<WorkerCount> getConfiguration() { return configuration; }
  public void setConfiguration(List<WorkerCount> configuration) { this.configuration = configuration; }
  public List<HtcJobStatus> getJobs() { return jobs; }
  public void setJobs(List<HtcJobStatus> jobs) { this.jobs = jobs; }
  public Double getMoneySpent() { return moneySpent; }
  public void setMoneySpent(Double moneySpent) { this.moneySpent = moneySpent; }
  public List<TaskFarmFailedTask> getFailedTasks() { return failedTasks; }
  public void setFailedTasks(List<TaskFarmFailedTask> failedTasks) { this.failedTasks = failedTasks; }
  public String getLedger() { return ledger; }
  public void setLedger(String ledger) { this.ledger = ledger; }
}
