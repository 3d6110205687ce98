package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One point of throughput = f(cost): the cheapest worker configuration reaching that throughput. */
public class HtcThroughputPoint {
  @JsonPropertyDescription("Cost per hour of the configuration, in the Cloud's currency.")
  private Double cost;

  @JsonPropertyDescription("Tasks per hour the configuration completes.")
  private Double throughput;

  @JsonPropertyDescription("Workers per instance type.")
  private List<WorkerCount> workers = new ArrayList<>();

  public HtcThroughputPoint() {}

  public HtcThroughputPoint(double cost, double throughput, List<WorkerCount> workers) {
    this.cost = cost;
    this.throughput = throughput;
    this.workers = workers;
  }

  public Double getCost() { return cost; }
  public void setCost(Double cost) { this.cost = cost; }
  public Double getThroughput() { return throughput; }
  public void setThroughput(Double throughput) { this.throughput = throughput; }
  public List<WorkerCount> getWorkers() { return workers; }
  public void setWorkers(List<WorkerCount> workers) { this.workers = workers; }
}
