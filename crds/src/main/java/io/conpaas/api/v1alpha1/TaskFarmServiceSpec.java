package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired state of a TaskFarm service (manual 2.8). */
public class TaskFarmServiceSpec extends ServiceSpec {
  public static final String ROLE_WORKERS = "workers";
  public static final String MODE_REAL = "real";
  public static final String MODE_DEMO = "demo";

  @JsonPropertyDescription("The workers' Cloud (cloud; unset: the service's). Their number and instance types "
      + "come from the phase: one worker per instance type while sampling and while Ready (waiting for a "
      + "choice; they carry on into the execution when the mix uses them), the chosen schedule's mix while "
      + "executing, none when Done and never in demo mode; nodes is ignored.")
  private ScaleRoleSpec workers;

  @JsonPropertyDescription("The bag of tasks: one shell command per line (manual 2.8.2). Read once, when the "
      + "service first finds it.")
  private TaskFarmBag bag;

  @Pattern("^(real|demo)$")
  @JsonPropertyDescription("real (default) runs the tasks on VMs; demo goes through the same phases with runtimes "
      + "drawn from a synthetic sample, without VMs and without money.")
  private String mode;

  @JsonPropertyDescription("The name of one of status.schedules: setting it in phase Ready starts the execution.")
  private String schedule;

  @Min(1)
  @Max(20)
  @JsonPropertyDescription("Runs of a failing task before it is reported failed (default 3).")
  private Integer maxAttempts;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds a task may run before it is killed and counted as a failed attempt "
      + "(default 600).")
  private Integer taskTimeoutSeconds;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Tasks sampled on each instance type (default 5); they count as done.")
  private Integer sampleSize;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most workers of one instance type a schedule may use (default 8).")
  private Integer maxWorkersPerType;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Billing unit in seconds (default 3600: each started hour of a VM is paid in full, as "
      + "the clouds ConPaaS targeted charged).")
  private Integer billingUnitSeconds;

  @Size(max = 16)
  @JsonPropertyDescription("The Cloud's instance types to sample and schedule on; unset: every priced type of the "
      + "Cloud's spec.instanceTypes.")
  private List<String> instanceTypes;

  @JsonPropertyDescription("A volume of an XtreemFsService mounted at /mnt/xtreemfs on every worker (manual "
      + "2.8.3). Needs that kind.")
  private TaskFarmFileSystem fileSystem;

  public ScaleRoleSpec getWorkers() { return workers; }
  public void setWorkers(ScaleRoleSpec workers) { this.workers = workers; }
  public TaskFarmBag getBag() { return bag; }
  public void setBag(TaskFarmBag bag) { this.bag = bag; }
  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public String getSchedule() { return schedule; }
  public void setSchedule(String schedule) { this.schedule = schedule; }
  public Integer getMaxAttempts() { return maxAttempts; }
  public void setMaxAttempts(Integer maxAttempts) { this.maxAttempts = maxAttempts; }
  public Integer getTaskTimeoutSeconds() { return taskTimeoutSeconds; }
  public void setTaskTimeoutSeconds(Integer taskTimeoutSeconds) { this.taskTimeoutSeconds = taskTimeoutSeconds; }
  public Integer getSampleSize() { return sampleSize; }
  public void setSampleSize(Integer sampleSize) { this.sampleSize = sampleSize; }
  public Integer getMaxWorkersPerType() { return maxWorkersPerType; }
  public void setMaxWorkersPerType(Integer maxWorkersPerType) { this.maxWorkersPerType = maxWorkersPerType; }
  public Integer getBillingUnitSeconds() { return billingUnitSeconds; }
  public void setBillingUnitSeconds(Integer billingUnitSeconds) { this.billingUnitSeconds = billingUnitSeconds; }
  public List<String> getInstanceTypes() { return instanceTypes; }
  public void setInstanceTypes(List<String> instanceTypes) { this.instanceTypes = instanceTypes; }
  public TaskFarmFileSystem getFileSystem() { return fileSystem; }
  public void setFileSystem(TaskFarmFileSystem fileSystem) { this.fileSystem = fileSystem; }

  /** Whether mode is demo (not a bean getter on purpose). */
  public boolean demoMode() { return MODE_DEMO.equals(mode); }

  public int attemptsAllowed() { return maxAttempts == null ? 3 : maxAttempts; }

  public int timeoutSeconds() { return taskTimeoutSeconds == null ? 600 : taskTimeoutSeconds; }

  public int samplesPerType() { return sampleSize == null ? 5 : sampleSize; }

  public int workersPerTypeCap() { return maxWorkersPerType == null ? 8 : maxWorkersPerType; }

  public int billingUnit() { return billingUnitSeconds == null ? 3600 : billingUnitSeconds; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_WORKERS, workers);
    return roles;
  }
}
