package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of an Application: a group of services sharing a default Cloud. */
public class ApplicationSpec {
  @JsonPropertyDescription("Default Cloud of the application's services; unset means the "
      + "Cloud marked default.")
  private String cloud;

  @JsonPropertyDescription("Private overlay network settings.")
  private VpnSpec vpn;

  public String getCloud() { return cloud; }
  public void setCloud(String cloud) { this.cloud = cloud; }
  public VpnSpec getVpn() { return vpn; }
  public void setVpn(VpnSpec vpn) { this.vpn = vpn; }
}
