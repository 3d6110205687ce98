package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Desired state of an HTC service (manual 2.10); mode, attempts, timeouts, sampling: {@link BagServiceSpec}. */
public class HtcServiceSpec extends BagServiceSpec {
  public static final String TYPE_BATCH = "batch";
  public static final String TYPE_ONLINE = "online";
  public static final String TYPE_WORKFLOW = "workflow";

  @JsonPropertyDescription("The workers' Cloud (cloud; unset: the service's). Their number and instance types come "
      + "from workerPools (or, when empty, from targetThroughput and the throughput function), plus one worker per "
      + "instance type while a job is sampled; nodes is ignored.")
  private ScaleRoleSpec workers;

  @Size(max = 16)
  @JsonPropertyDescription("Worker pools by instance type (ConPaaS create_worker/remove_worker). kubectl conpaas htc "
      + "select sets them for a target throughput.")
  private List<HtcWorkerPool> workerPools = new ArrayList<>();

  @Size(max = 50)
  @JsonPropertyDescription("Jobs (create_job), each a list of bags appended at any time (add).")
  private List<HtcJob> jobs = new ArrayList<>();

  @JsonPropertyDescription("The job to sample on every instance type (manual sample): its first tasks run on one "
      + "worker per type and give status.throughputFunction.")
  private String sample;

  @Min(0)
  @JsonPropertyDescription("Target throughput in tasks per hour, within [0, TMAX]: with no workerPools the pools "
      + "are the cheapest configuration reaching it.")
  private Double targetThroughput;

  @Pattern("^(batch|online|workflow)$")
  @JsonPropertyDescription("batch (default): a job's tasks run once it is submitted; online: every bag runs as soon "
      + "as it is added; workflow: like batch, and a task may name tasks of its job it waits for (cycles refused).")
  private String type;

  @Override
  public ScaleRoleSpec getWorkers() { return workers; }
  public void setWorkers(ScaleRoleSpec workers) { this.workers = workers; }
  public List<HtcWorkerPool> getWorkerPools() { return workerPools; }
  public void setWorkerPools(List<HtcWorkerPool> workerPools) { this.workerPools = workerPools; }
  public List<HtcJob> getJobs() { return jobs; }
  public void setJobs(List<HtcJob> jobs) { this.jobs = jobs; }
  public String getSample() { return sample; }
  public void setSample(String sample) { this.sample = sample; }
  public Double getTargetThroughput() { return targetThroughput; }
  public void setTargetThroughput(Double targetThroughput) { this.targetThroughput = targetThroughput; }
  public String getType() { return type; }
  public void setType(String type) { this.type = type; }

  /** The type, batch when unset. */
  public String typeOrDefault() { return type == null ? TYPE_BATCH : type; }
}
