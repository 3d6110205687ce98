package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Whether an application's VMs are joined in a private overlay network (ConPaaS IPOP). */
public class VpnSpec {
  @JsonPropertyDescription("Join the application's VMs in one private overlay network.")
  private Boolean enabled;

  @JsonPropertyDescription("Run a VPN relay for this application: one VM on the named Cloud (an Agent with role "
      + "relay owned by the Application) that forwards WireGuard datagrams between its agents whose underlay "
      + "networks do not reach each other (e.g. two Clouds on separate private networks). Pick a Cloud every other "
      + "Cloud of the application reaches (its VMs' public addresses). The relay holds no key (WireGuard stays end to "
      + "end) and runs no service code; agents prefer it to the operator's vpn.bootstrapNodes, which remain the "
      + "fallback. A dead relay VM is replaced; removing this block or the Application releases it.")
  private VpnRelaySpec relay;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public VpnRelaySpec getRelay() { return relay; }
  public void setRelay(VpnRelaySpec relay) { this.relay = relay; }
}
