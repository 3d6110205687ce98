package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Desired state of a TaskFarm service (manual 2.8); mode, attempts, timeouts, sampling: {@link BagServiceSpec}. */
public class TaskFarmServiceSpec extends BagServiceSpec {
  @JsonPropertyDescription("The workers' Cloud (cloud; unset: the service's). Their number and instance types "
      + "come from the phase: one worker per instance type while sampling and while Ready (waiting for a "
      + "choice; they carry on into the execution when the mix uses them), the chosen schedule's mix while "
      + "executing, none when Done and never in demo mode; nodes is ignored.")
  private ScaleRoleSpec workers;

  @JsonPropertyDescription("The bag of tasks: one shell command per line (manual 2.8.2). Read once, when the "
      + "service first finds it.")
  private TaskFarmBag bag;

  @JsonPropertyDescription("The name of one of status.schedules: setting it in phase Ready starts the execution.")
  private String schedule;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Billing unit in seconds (default 3600: each started hour of a VM is paid in full, as "
      + "the clouds ConPaaS targeted charged).")
  private Integer billingUnitSeconds;

  @JsonPropertyDescription("A volume of an XtreemFsService mounted at /mnt/xtreemfs on every worker (manual "
      + "2.8.3). Needs that kind.")
  private TaskFarmFileSystem fileSystem;

  @Override
  public ScaleRoleSpec getWorkers() { return workers; }
  public void setWorkers(ScaleRoleSpec workers) { this.workers = workers; }
  public TaskFarmBag getBag() { return bag; }
  public void setBag(TaskFarmBag bag) { this.bag = bag; }
  public String getSchedule() { return schedule; }
  public void setSchedule(String schedule) { this.schedule = schedule; }
  public Integer getBillingUnitSeconds() { return billingUnitSeconds; }
  public void setBillingUnitSeconds(Integer billingUnitSeconds) { this.billingUnitSeconds = billingUnitSeconds; }
  public TaskFarmFileSystem getFileSystem() { return fileSystem; }
  public void setFileSystem(TaskFarmFileSystem fileSystem) { this.fileSystem = fileSystem; }

  public int billingUnit() { return billingUnitSeconds == null ? 3600 : billingUnitSeconds; }
}
