package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Addresses of an agent's VM. */
public class AgentAddresses {
  @JsonPropertyDescription("Public address of the VM.")
  private String publicAddress;
  @JsonPropertyDescription("Private (cloud network) address of the VM.")
  private String privateAddress;
  @JsonPropertyDescription("Address in the application's private overlay network.")
  private String vpn;

  public AgentAddresses() {}

  public AgentAddresses(String publicAddress, String privateAddress) {
    this.publicAddress = publicAddress;
    this.privateAddress = privateAddress;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("public")
  public String getPublicAddress() { return publicAddress; }
  @com.fasterxml.jackson.annotation.JsonProperty("public")
  public void setPublicAddress(String publicAddress) { this.publicAddress = publicAddress; }
  @com.fasterxml.jackson.annotation.JsonProperty("private")
  public String getPrivateAddress() { return privateAddress; }
  @com.fasterxml.jackson.annotation.JsonProperty("private")
  public void setPrivateAddress(String privateAddress) { this.privateAddress = privateAddress; }
  public String getVpn() { return vpn; }
  public void setVpn(String vpn) { this.vpn = vpn; }
}
