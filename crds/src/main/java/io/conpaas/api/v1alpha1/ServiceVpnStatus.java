package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A service's block of its application's private network (ConPaaS IPOP address plan). */
public class ServiceVpnStatus {
  @JsonPropertyDescription("The service's index in its application's network (0 to 2^vpn.serviceBits - 1); kept "
      + "while the service exists, reused only after it is gone.")
  private Integer serviceIndex;
  @JsonPropertyDescription("The service's sub-block, e.g. 172.16.128.0/17; its agents' VPN addresses lie in it.")
  private String subnet;

  public ServiceVpnStatus() {}

  public ServiceVpnStatus(Integer serviceIndex, String subnet) {
    this.serviceIndex = serviceIndex;
    this.subnet = subnet;
  }

  public Integer getServiceIndex() { return serviceIndex; }
  public void setServiceIndex(Integer serviceIndex) { this.serviceIndex = serviceIndex; }
  public String getSubnet() { return subnet; }
  public void setSubnet(String subnet) { this.subnet = subnet; }
}
