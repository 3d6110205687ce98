package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Whether an application's VMs are joined in a private overlay network (ConPaaS IPOP). */
public class VpnSpec {
  @JsonPropertyDescription("Join the application's VMs in one private overlay network.")
  private Boolean enabled;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
}
