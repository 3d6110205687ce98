package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Agent;
import java.util.Objects;

/** Which address of an agent's VM another agent (or a user) should use. Pure. */
public final class PeerAddress {
  private PeerAddress() {}

  /**
   * The address agents on fromCloud use for a: its VPN address when it has one (its service's
   * agents share its application's private network, across Clouds too), else the private network
   * within one Cloud; across Clouds the address the operator itself reaches the agent at (its public side).
   */
  public static String host(Agent a, String fromCloud) {
    var vpn = a.getStatus() == null || a.getStatus().getAddresses() == null ? null : a.getStatus().getAddresses().getVpn();
    if (vpn != null && !vpn.isBlank()) {
      return vpn;
    }
    if (fromCloud == null || Objects.equals(fromCloud, a.getSpec().getCloud())) {
      return host(a, false);
    }
    String endpoint = a.getStatus().getAgentEndpoint();
    return endpoint != null && endpoint.contains(":")
        ? endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "") : host(a, true);
  }

  /** The VM's private (or, for users, public) address, else the host the operator reaches the agent on. */
  public static String host(Agent a, boolean preferPublic) {
    var addresses = a.getStatus().getAddresses();
    if (addresses != null) {
      String first = preferPublic ? addresses.getPublicAddress() : addresses.getPrivateAddress();
      String second = preferPublic ? addresses.getPrivateAddress() : addresses.getPublicAddress();
      if (first != null && !first.isBlank()) {
        return first;
      }
      if (second != null && !second.isBlank()) {
        return second;
      }
    }
    String endpoint = a.getStatus().getAgentEndpoint();
    if (endpoint == null || !endpoint.contains(":")) {
      return null;
    }
    return endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "");
  }

  public static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
