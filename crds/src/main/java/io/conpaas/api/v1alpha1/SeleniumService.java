package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's Selenium service: a Selenium Grid 4 hub and browser nodes (headless Chromium) that
 * register with it; tests drive browsers through the hub's URL (the first endpoint).
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "GRID", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SeleniumService extends ServiceCustomResource<SeleniumServiceSpec, ServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the hub, the browser nodes and their sessions.")
  public SeleniumServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready nodes, endpoints (the Grid URL for "
      + "RemoteWebDriver, then the Grid's console), conditions.")
  public ServiceStatus getStatus() {
    return super.getStatus();
  }
}
