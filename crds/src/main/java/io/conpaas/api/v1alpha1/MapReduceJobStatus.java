package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One MapReduce job submitted to the service, as its master agent last reported it. */
public class MapReduceJobStatus {
  @JsonPropertyDescription("The job's id on the master (job-<millis>-<random>), as mapreduce submit printed it.")
  private String id;
  @JsonPropertyDescription("RUNNING, SUCCEEDED, FAILED (with the exit code or the time limit) or LOST (the master's "
      + "agent restarted while it ran).")
  private String state;
  @JsonPropertyDescription("The YARN application id, once the job's client reported it.")
  private String application;

  public MapReduceJobStatus() {}

  public MapReduceJobStatus(String id, String state, String application) {
    this.id = id;
    this.state = state;
    this.application = application;
  }

  public String getId() { return id; }
  public void setId(String id) { this.id = id; }
  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public String getApplication() { return application; }
  public void setApplication(String application) { this.application = application; }
}
