package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** The role a service scales by: its node count backs the /scale subresource. */
public class ScaleRoleSpec extends AbstractRoleSpec {
  // A field of its own because the generator reads @SpecReplicas from fields only.
  @SpecReplicas
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Number of agents (VMs) of this role, 0 to 1000; the replicas of "
      + "`kubectl scale`.")
  private Integer nodes;

  public ScaleRoleSpec() {}

  public ScaleRoleSpec(int nodes) {
    this.nodes = nodes;
  }

  @Override
  public Integer getNodes() { return nodes; }
  public void setNodes(Integer nodes) { this.nodes = nodes; }
}
