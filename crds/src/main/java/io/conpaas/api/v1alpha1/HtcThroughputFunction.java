package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** throughput = f(cost) from a sampled job (manual 2.10): a step function given by its Pareto points. */
public class HtcThroughputFunction {
  @JsonPropertyDescription("The job sampled.")
  private String job;

  @JsonPropertyDescription("Highest throughput reachable (tasks per hour, every type at maxWorkersPerType).")
  private Double tmax;

  @JsonPropertyDescription("Seconds per task measured on each instance type (back to back on one worker).")
  private List<TaskFarmSample> samples = new ArrayList<>();

  @JsonPropertyDescription("Pareto-optimal configurations, cheapest first, each reaching more tasks per hour than "
      + "every cheaper one; f(cost) is the throughput of the dearest point costing at most cost.")
  private List<HtcThroughputPoint> points = new ArrayList<>();

  public String getJob() { return job; }
  public void setJob(String job) { this.job = job; }
  public Double getTmax() { return tmax; }
  public void setTmax(Double tmax) { this.tmax = tmax; }
  public List<TaskFarmSample> getSamples() { return samples; }
  public void setSamples(List<TaskFarmSample> samples) { this.samples = samples; }
  public List<HtcThroughputPoint> getPoints() { return points; }
  public void setPoints(List<HtcThroughputPoint> points) { this.points = points; }
}
