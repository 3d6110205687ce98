package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The chosen schedule's predictions and what the execution measured. */
public class TaskFarmExecution {
  @JsonPropertyDescription("The schedule executed.")
  private String schedule;

  @JsonPropertyDescription("When the execution started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("Predicted cost of the execution.")
  private Double predictedCost;

  @JsonPropertyDescription("Predicted makespan in seconds.")
  private Double predictedMakespan;

  @JsonPropertyDescription("Money spent on the execution's VMs so far.")
  private Double moneySpent;

  @JsonPropertyDescription("Seconds from the start of the execution to its last task's end (set when Done).")
  private Double actualMakespan;

  @JsonPropertyDescription("Tasks run again because the VM they ran on was lost.")
  private Integer rerunAfterVmLoss;

  public String getSchedule() { return schedule; }
  public void setSchedule(String schedule) { this.schedule = schedule; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public Double getPredictedCost() { return predictedCost; }
  public void setPredictedCost(Double predictedCost) { this.predictedCost = predictedCost; }
  public Double getPredictedMakespan() { return predictedMakespan; }
  public void setPredictedMakespan(Double predictedMakespan) { this.predictedMakespan = predictedMakespan; }
  public Double getMoneySpent() { return moneySpent; }
  public void setMoneySpent(Double moneySpent) { this.moneySpent = moneySpent; }
  public Double getActualMakespan() { return actualMakespan; }
  public void setActualMakespan(Double actualMakespan) { this.actualMakespan = actualMakespan; }
  public Integer getRerunAfterVmLoss() { return rerunAfterVmLoss; }
  public void setRerunAfterVmLoss(Integer rerunAfterVmLoss) { this.rerunAfterVmLoss = rerunAfterVmLoss; }
}
