package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's XtreemFS service (manual 2.9), a POSIX file system other services mount, on SeaweedFS:
 * the first agent (role dir) runs the master and the filer (XtreemFS's DIR and MRC), each osd agent
 * a volume server (an OSD). Volumes are filer directories with a quota and a replica placement.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "FILER", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class XtreemFsService extends ServiceCustomResource<XtreemFsServiceSpec, ServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the dir agent, the OSDs, the volumes and the policies.")
  public XtreemFsServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready OSDs, endpoints (the filer's HTTP address, then "
      + "filer and master as weed mount and weed shell address them: host:port.grpcPort), conditions.")
  public ServiceStatus getStatus() {
    return super.getStatus();
  }
}
