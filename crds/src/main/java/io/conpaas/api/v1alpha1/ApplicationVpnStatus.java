package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The application's private network, when spec.vpn.enabled. */
public class ApplicationVpnStatus {
  @JsonPropertyDescription("The whole block the application's services share, e.g. 172.16.0.0/12.")
  private String network;

  @JsonPropertyDescription("The operator-run relay (spec.vpn.relay), when requested.")
  private VpnRelayStatus relay;

  public ApplicationVpnStatus() {}

  public ApplicationVpnStatus(String network) {
    this.network = network;
  }

  public String getNetwork() { return network; }
  public void setNetwork(String network) { this.network = network; }
  public VpnRelayStatus getRelay() { return relay; }
  public void setRelay(VpnRelayStatus relay) { this.relay = relay; }
}
