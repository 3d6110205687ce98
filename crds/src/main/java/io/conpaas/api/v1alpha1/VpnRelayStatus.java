package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The state of an application's operator-run VPN relay (Application status.vpn.relay). */
public class VpnRelayStatus {
  @JsonPropertyDescription("The relay's Agent (same namespace; role relay).")
  private String agent;
  @JsonPropertyDescription("Where the application's agents on other Clouds send to it (public address:port); "
      + "unset until its VM has an address.")
  private String endpoint;
  @JsonPropertyDescription("Whether the relay runs and its agents use it.")
  private Boolean ready;
  @JsonPropertyDescription("Why it is not ready, when it is not.")
  private String message;

  public VpnRelayStatus() {}

  public VpnRelayStatus(String agent, String endpoint, Boolean ready, String message) {
    this.agent = agent;
    this.endpoint = endpoint;
    this.ready = ready;
    this.message = message;
  }

  public String getAgent() { return agent; }
  public void setAgent(String agent) { this.agent = agent; }
  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
  public Boolean getReady() { return ready; }
  public void setReady(Boolean ready) { this.ready = ready; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
