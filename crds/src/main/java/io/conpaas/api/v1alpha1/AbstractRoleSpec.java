package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Fields every role block has besides its node count. */
public abstract class AbstractRoleSpec {
  @JsonPropertyDescription("Cloud for this role's VMs; unset means the service's Cloud.")
  private String cloud;

  @JsonPropertyDescription("Instance type of this role's VMs; unset means the Cloud's default.")
  private String instanceType;

  /** Desired agents of the role (null when the block leaves it unset). */
  public abstract Integer getNodes();

  public String getCloud() { return cloud; }
  public void setCloud(String cloud) { this.cloud = cloud; }
  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
}
