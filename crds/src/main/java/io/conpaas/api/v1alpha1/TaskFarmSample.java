package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The runtimes sampled on one instance type. */
public class TaskFarmSample {
  @JsonPropertyDescription("Instance type.")
  private String instanceType;

  @JsonPropertyDescription("Sampled tasks that succeeded on it.")
  private Integer tasks;

  @JsonPropertyDescription("Seconds a task costs a worker of this type: the mean runtime plus the mean gap between "
      + "tasks run back to back on one worker (the per-task overhead the execution pays too).")
  private Double meanSeconds;

  public TaskFarmSample() {}

  public TaskFarmSample(String instanceType, int tasks, double meanSeconds) {
    this.instanceType = instanceType;
    this.tasks = tasks;
    this.meanSeconds = meanSeconds;
  }

  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
  public Integer getTasks() { return tasks; }
  public void setTasks(Integer tasks) { this.tasks = tasks; }
  public Double getMeanSeconds() { return meanSeconds; }
  public void setMeanSeconds(Double meanSeconds) { this.meanSeconds = meanSeconds; }
}
