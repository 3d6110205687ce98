package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ConPaaS's MapReduce service (manual 2.7): Apache Hadoop 3 with an HDFS NameNode, a YARN
 * ResourceManager and a JobHistory server on the master, a DataNode and a NodeManager on each
 * worker; the endpoints link the NameNode's and the ResourceManager's web UIs.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "NAMENODE", jsonPath = ".status.endpoints[0].url")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MapReduceService extends ServiceCustomResource<MapReduceServiceSpec, MapReduceServiceStatus> {
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the Application, the master, the workers and HDFS replication.")
  public MapReduceServiceSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: ConPaaS state, ready workers, endpoints (the NameNode's web UI, the "
      + "ResourceManager's web UI, the JobHistory web UI, then for Hadoop clients hdfs://, the ResourceManager's "
      + "address and the JobHistory server's), the jobs, conditions.")
  public MapReduceServiceStatus getStatus() {
    return super.getStatus();
  }
}
