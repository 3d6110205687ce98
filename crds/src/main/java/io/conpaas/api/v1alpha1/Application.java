package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A ConPaaS application: a named group of services. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Application extends CustomResource<ApplicationSpec, ApplicationStatus>
    implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the default Cloud and the private network.")
  public ApplicationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: the services and their worst state.")
  public ApplicationStatus getStatus() {
    return super.getStatus();
  }
}
