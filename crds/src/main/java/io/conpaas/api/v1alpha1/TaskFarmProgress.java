package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How far a bag is. */
public class TaskFarmProgress {
  @JsonPropertyDescription("Tasks finished with exit code 0.")
  private Integer done;

  @JsonPropertyDescription("Tasks that failed after their attempts.")
  private Integer failed;

  @JsonPropertyDescription("Tasks handed to a worker and not finished yet.")
  private Integer running;

  @JsonPropertyDescription("Tasks in the bag.")
  private Integer total;

  public TaskFarmProgress() {}

  public TaskFarmProgress(int done, int failed, int running, int total) {
    this.done = done;
    this.failed = failed;
    this.running = running;
    this.total = total;
  }

  public Integer getDone() { return done; }
  public void setDone(Integer done) { this.done = done; }
  public Integer getFailed() { return failed; }
  public void setFailed(Integer failed) { this.failed = failed; }
  public Integer getRunning() { return running; }
  public void setRunning(Integer running) { this.running = running; }
  public Integer getTotal() { return total; }
  public void setTotal(Integer total) { this.total = total; }
}
