package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A pool of HTC workers of one instance type (ConPaaS create_worker/remove_worker). */
public class HtcWorkerPool {
  @Required
  @JsonPropertyDescription("Instance type of the pool's workers (one of the Cloud's spec.instanceTypes).")
  private String instanceType;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Workers in the pool.")
  private Integer nodes;

  public HtcWorkerPool() {}

  public HtcWorkerPool(String instanceType, int nodes) {
    this.instanceType = instanceType;
    this.nodes = nodes;
  }

  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
  public Integer getNodes() { return nodes; }
  public void setNodes(Integer nodes) { this.nodes = nodes; }
}
