package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's key-value store (manual 2.6, Scalaris there, embedded Hazelcast here): symmetric
 * nodes without a manager; the first node stays across scaling and is the first endpoint.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "ENDPOINT", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ScalarisService extends ServiceCustomResource<ScalarisServiceSpec, ServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the nodes and the number of backups of every entry.")
  public ScalarisServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready nodes, endpoints (the first node's key-value "
      + "API, then its status page), conditions.")
  public ServiceStatus getStatus() {
    return super.getStatus();
  }
}
