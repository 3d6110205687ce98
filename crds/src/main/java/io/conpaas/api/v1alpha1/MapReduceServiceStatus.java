package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Status of a MapReduceService: the common status plus its jobs. */
public class MapReduceServiceStatus extends ServiceStatus {
  @JsonPropertyDescription("The most recent jobs submitted with kubectl conpaas mapreduce submit (at most "
      + "20, oldest first), with their state as the master reports it.")
  private List<MapReduceJobStatus> jobs;

  public List<MapReduceJobStatus> getJobs() { return jobs; }
  public void setJobs(List<MapReduceJobStatus> jobs) { this.jobs = jobs; }
}
