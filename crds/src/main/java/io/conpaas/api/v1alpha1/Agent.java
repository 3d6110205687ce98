package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** One agent VM of a service, created and owned by the operator (read-only for users). */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "ROLE", jsonPath = ".spec.role")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "INSTANCE", jsonPath = ".status.instanceId")
@AdditionalPrinterColumn(name = "ADDRESS", jsonPath = ".status.addresses.public")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Agent extends CustomResource<AgentSpec, AgentStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription("Desired state, written by the operator: role, Cloud, instance type, role configuration.")
  public AgentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the VM: phase, instance id, client token, addresses, attempts.")
  public AgentStatus getStatus() {
    return super.getStatus();
  }
}
