package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Progress of one HTC job. */
public class HtcJobStatus {
  @JsonPropertyDescription("Job name.")
  private String name;

  @JsonPropertyDescription("Waiting (not submitted), Sampling, Running, Done (every task done or failed), or "
      + "Refused (its last bag was refused: message says why).")
  private String state;

  @JsonPropertyDescription("Bags read (refused ones included).")
  private Integer bags;

  @JsonPropertyDescription("Tasks done, failed, running and in total.")
  private TaskFarmProgress progress;

  @JsonPropertyDescription("Tasks per hour measured over the job's execution so far (sampled tasks excluded): "
      + "tasks done over the time from the first start to the last end.")
  private Double measuredThroughput;

  @JsonPropertyDescription("Why a bag was refused or cannot be read.")
  private String message;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public Integer getBags() { return bags; }
  public void setBags(Integer bags) { this.bags = bags; }
  public TaskFarmProgress getProgress() { return progress; }
  public void setProgress(TaskFarmProgress progress) { this.progress = progress; }
  public Double getMeasuredThroughput() { return measuredThroughput; }
  public void setMeasuredThroughput(Double measuredThroughput) { this.measuredThroughput = measuredThroughput; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
