package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's TaskFarm (manual 2.8): a bag of shell tasks sampled on each instance type, offered as
 * Pareto-optimal (cost, makespan) schedules, then run with the VM mix the user picks.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "DONE", jsonPath = ".status.progress.done")
@AdditionalPrinterColumn(name = "TOTAL", jsonPath = ".status.progress.total")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TaskFarmService extends ServiceCustomResource<TaskFarmServiceSpec, TaskFarmServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the bag, the mode and the chosen schedule.")
  public TaskFarmServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, phase, schedules, progress, money spent, conditions.")
  public TaskFarmServiceStatus getStatus() {
    return super.getStatus();
  }
}
