package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.client.CustomResource;

/** A source of VMs (cluster-scoped): the local host, an EC2 region or an OpenNebula endpoint. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "PROVIDER", jsonPath = ".spec.provider")
@AdditionalPrinterColumn(name = "DEFAULT", jsonPath = ".spec.default",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "INSTANCES", jsonPath = ".status.instances",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Cloud extends CustomResource<CloudSpec, CloudStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the provider and its settings.")
  public CloudSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: readiness and live VMs.")
  public CloudStatus getStatus() {
    return super.getStatus();
  }
}
