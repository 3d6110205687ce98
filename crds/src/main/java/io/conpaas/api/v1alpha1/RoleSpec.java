package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Desired agents of one role of a service (a role that is not the scale role). */
public class RoleSpec extends AbstractRoleSpec {
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Number of agents (VMs) of this role, 0 to 1000.")
  private Integer nodes;

  public RoleSpec() {}

  public RoleSpec(int nodes) {
    this.nodes = nodes;
  }

  @Override
  public Integer getNodes() { return nodes; }
  public void setNodes(Integer nodes) { this.nodes = nodes; }
}
