package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired state of an HTC service (manual 2.10). */
public class HtcServiceSpec extends ServiceSpec {
  public static final String ROLE_WORKERS = "workers";
  public static final String MODE_REAL = "real";
  public static final String MODE_DEMO = "demo";
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

  @Pattern("^(real|demo)$")
  @JsonPropertyDescription("real (default) runs tasks on VMs; demo goes through the same steps with synthetic "
      + "runtimes, without VMs and without money.")
  private String mode;

  @Pattern("^(batch|online|workflow)$")
  @JsonPropertyDescription("batch (default): a job's tasks run once it is submitted; online: every bag runs as soon "
      + "as it is added; workflow: like batch, and a task may name tasks of its job it waits for (cycles refused).")
  private String type;

  @Min(1)
  @Max(20)
  @JsonPropertyDescription("Runs of a failing task before it is reported failed (default 3).")
  private Integer maxAttempts;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds a task may run before it is killed (default 600).")
  private Integer taskTimeoutSeconds;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Tasks of the sampled job run on each instance type (default 5); they count as done.")
  private Integer sampleSize;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most workers of one instance type a configuration may use (default 8).")
  private Integer maxWorkersPerType;

  @Size(max = 16)
  @JsonPropertyDescription("The Cloud's instance types to sample; unset: every priced type of the Cloud.")
  private List<String> instanceTypes;

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
  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public Integer getMaxAttempts() { return maxAttempts; }
  public void setMaxAttempts(Integer maxAttempts) { this.maxAttempts = maxAttempts; }
  public Integer getTaskTimeoutSeconds() { return taskTimeoutSeconds; }
  public void setTaskTimeoutSeconds(Integer taskTimeoutSeconds) { this.taskTimeoutSeconds = taskTimeoutSeconds; }
  public Integer getSampleSize() { return sampleSize; }
  public void setSampleSize(Integer sampleSize) { this.sampleSize = sampleSize; }
  public Integer getMaxWorkersPerType() { return maxWorkersPerType; }
  public void setMaxWorkersPerType(Integer maxWorkersPerType) { this.maxWorkersPerType = maxWorkersPerType; }
  public List<String> getInstanceTypes() { return instanceTypes; }
  public void setInstanceTypes(List<String> instanceTypes) { this.instanceTypes = instanceTypes; }

  /** Whether mode is demo (not a bean getter on purpose). */
  public boolean demoMode() { return MODE_DEMO.equals(mode); }

  /** The type, batch when unset. */
  public String typeOrDefault() { return type == null ? TYPE_BATCH : type; }

  public int attemptsAllowed() { return maxAttempts == null ? 3 : maxAttempts; }

  public int timeoutSeconds() { return taskTimeoutSeconds == null ? 600 : taskTimeoutSeconds; }

  public int samplesPerType() { return sampleSize == null ? 5 : sampleSize; }

  public int workersPerTypeCap() { return maxWorkersPerType == null ? 8 : maxWorkersPerType; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_WORKERS, workers);
    return roles;
  }
}
