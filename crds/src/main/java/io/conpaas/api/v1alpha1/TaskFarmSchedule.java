package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One offered schedule: a VM mix with its predicted cost and makespan. */
public class TaskFarmSchedule {
  @JsonPropertyDescription("The name spec.schedule takes (cheapest, fastest, or pareto-N between them).")
  private String name;

  @JsonPropertyDescription("Predicted cost of running the remaining tasks with this mix.")
  private Double cost;

  @JsonPropertyDescription("Predicted makespan in seconds (from the start of the execution, VM start included).")
  private Double makespan;

  @JsonPropertyDescription("The VM mix: workers per instance type.")
  private List<WorkerCount> workers = new ArrayList<>();

  public TaskFarmSchedule() {}

  public TaskFarmSchedule(String name, double cost, double makespan, List<WorkerCount> workers) {
    this.name = name;
    this.cost = cost;
    this.makespan = makespan;
    this.workers = new ArrayList<>(workers);
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Double getCost() { return cost; }
  public void setCost(Double cost) { this.cost = cost; }
  public Double getMakespan() { return makespan; }
  public void setMakespan(Double makespan) { this.makespan = makespan; }
  public List<WorkerCount> getWorkers() { return workers; }
  public void setWorkers(List<WorkerCount> workers) { this.workers = workers; }
}
