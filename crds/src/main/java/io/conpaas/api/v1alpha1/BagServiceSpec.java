package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bag-of-tasks kinds (TaskFarmService, HtcService) share: role workers, mode, the tasks' attempts and
 * time limit, the sample size, the cap of workers per instance type and the instance types used.
 */
public abstract class BagServiceSpec extends ServiceSpec {
  public static final String ROLE_WORKERS = "workers";
  public static final String MODE_REAL = "real";
  public static final String MODE_DEMO = "demo";

  @Pattern("^(real|demo)$")
  @JsonPropertyDescription("real (default) runs the tasks on VMs; demo goes through the same steps with synthetic "
      + "runtimes, without VMs and without money.")
  private String mode;

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
  @JsonPropertyDescription("Most workers of one instance type a schedule or configuration may use (default 8).")
  private Integer maxWorkersPerType;

  @Size(max = 16)
  @JsonPropertyDescription("The Cloud's instance types to sample and run on; unset: every priced type of the "
      + "Cloud's spec.instanceTypes.")
  private List<String> instanceTypes;

  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
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

  /** The workers role's spec (the kind's own field: its description says where the workers come from). */
  public abstract ScaleRoleSpec getWorkers();

  /** Whether mode is demo (not a bean getter on purpose). */
  public boolean demoMode() { return MODE_DEMO.equals(mode); }

  public int attemptsAllowed() { return maxAttempts == null ? 3 : maxAttempts; }

  public int timeoutSeconds() { return taskTimeoutSeconds == null ? 600 : taskTimeoutSeconds; }

  public int samplesPerType() { return sampleSize == null ? 5 : sampleSize; }

  public int workersPerTypeCap() { return maxWorkersPerType == null ? 8 : maxWorkersPerType; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_WORKERS, getWorkers());
    return roles;
  }
}
