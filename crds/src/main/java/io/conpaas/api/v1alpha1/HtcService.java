package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's HTC service (manual 2.10): jobs of bags submitted on demand, a job sampled on each
 * instance type into throughput = f(cost), and worker pools sized to a target throughput.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.replicas")
@AdditionalPrinterColumn(name = "TMAX", jsonPath = ".status.throughputFunction.tmax")
@AdditionalPrinterColumn(name = "TARGET", jsonPath = ".spec.targetThroughput")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class HtcService extends ServiceCustomResource<HtcServiceSpec, HtcServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, worker pools, jobs, target throughput, mode and type.")
  public HtcServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, the throughput function, jobs' progress, conditions.")
  public HtcServiceStatus getStatus() {
    return super.getStatus();
  }
}
