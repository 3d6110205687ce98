package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** ConPaaS PHP web hosting: php-fpm backends, static web servers and a load-balancing proxy. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.code.active")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class PhpService extends ServiceCustomResource<PhpServiceSpec, WebServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, nodes per role and the code to serve.")
  public PhpServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready agents per role, URL, code versions, conditions.")
  public WebServiceStatus getStatus() {
    return super.getStatus();
  }
}
