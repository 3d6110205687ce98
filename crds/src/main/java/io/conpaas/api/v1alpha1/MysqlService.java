package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** ConPaaS's MySQL service (manual 2.5) on MariaDB: one master and replicating slaves. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "MASTER", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MysqlService extends ServiceCustomResource<MysqlServiceSpec, MysqlServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the master, the slaves and the password Secret.")
  public MysqlServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready agents per role, the master's address, "
      + "the Secret holding the password, replication, conditions.")
  public MysqlServiceStatus getStatus() {
    return super.getStatus();
  }
}
