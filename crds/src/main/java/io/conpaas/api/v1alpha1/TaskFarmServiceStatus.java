package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Status of a TaskFarmService: the common status plus phase, schedules, progress and money. */
public class TaskFarmServiceStatus extends ServiceStatus {
  @JsonPropertyDescription("Sampling (runs a sample of the bag on each instance type), Ready (schedules offered), "
      + "Executing (the chosen schedule runs the rest) or Done.")
  private String phase;

  @JsonPropertyDescription("Pareto-optimal (cost, makespan) schedules for the tasks not yet done, cheapest first.")
  private List<TaskFarmSchedule> schedules = new ArrayList<>();

  @JsonPropertyDescription("Tasks done, failed (after their attempts), running and in total.")
  private TaskFarmProgress progress;

  @JsonPropertyDescription("Money spent on worker VMs so far (sampling and execution), in the Cloud's currency.")
  private Double moneySpent;

  @JsonPropertyDescription("Runtimes sampled per instance type.")
  private List<TaskFarmSample> samples = new ArrayList<>();

  @JsonPropertyDescription("The chosen schedule's predictions against what happened.")
  private TaskFarmExecution execution;

  @JsonPropertyDescription("Tasks that failed after their attempts (at most 20 listed), with exit code and the "
      + "tail of their output.")
  private List<TaskFarmFailedTask> failedTasks = new ArrayList<>();

  @JsonPropertyDescription("The ConfigMap holding every task's state, attempts and output tail.")
  private String ledger;

  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public List<TaskFarmSchedule> getSchedules() { return schedules; }
  public void setSchedules(List<TaskFarmSchedule> schedules) { this.schedules = schedules; }
  public TaskFarmProgress getProgress() { return progress; }
  public void setProgress(TaskFarmProgress progress) { this.progress = progress; }
  public Double getMoneySpent() { return moneySpent; }
  public void setMoneySpent(Double moneySpent) { this.moneySpent = moneySpent; }
  public List<TaskFarmSample> getSamples() { return samples; }
  public void setSamples(List<TaskFarmSample> samples) { this.samples = samples; }
  public TaskFarmExecution getExecution() { return execution; }
  public void setExecution(TaskFarmExecution execution) { this.execution = execution; }
  public List<TaskFarmFailedTask> getFailedTasks() { return failedTasks; }
  public void setFailedTasks(List<TaskFarmFailedTask> failedTasks) { this.failedTasks = failedTasks; }
  public String getLedger() { return ledger; }
  public void setLedger(String ledger) { this.ledger = ledger; }
}
