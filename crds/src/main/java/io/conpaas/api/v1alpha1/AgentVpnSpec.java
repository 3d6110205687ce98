package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The agent's place in its application's private network, chosen by the service reconciler when
 * the Agent is created and never changed: the host index in the service's block and the address it gives.
 */
public class AgentVpnSpec {
  @JsonPropertyDescription("Index of the agent in its service's block (1 to 2^(32 - cidr - serviceBits) - 1).")
  private Integer hostIndex;
  @JsonPropertyDescription("The agent's VPN address, e.g. 172.16.128.2.")
  private String address;
  @JsonPropertyDescription("The application's whole network, e.g. 172.16.0.0/12 (routed over the VPN interface).")
  private String network;

  public AgentVpnSpec() {}

  public AgentVpnSpec(Integer hostIndex, String address, String network) {
    this.hostIndex = hostIndex;
    this.address = address;
    this.network = network;
  }

  public Integer getHostIndex() { return hostIndex; }
  public void setHostIndex(Integer hostIndex) { this.hostIndex = hostIndex; }
  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public String getNetwork() { return network; }
  public void setNetwork(String network) { this.network = network; }
}
