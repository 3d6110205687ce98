package io.conpaas.reconcilers.vpn;

import java.net.URI;
import java.util.List;

/**
 * The VPN's operator-wide settings, ConPaaS's director.cfg VPN_BASE_NETWORK, VPN_NETMASK,
 * VPN_SERVICE_BITS and VPN_BOOTSTRAP_NODES (settings vpn.baseNetwork, vpn.netmask, vpn.serviceBits,
 * vpn.bootstrapNodes). Checked when made: a bad value names its setting in one line.
 */
public record VpnSettings(String baseNetwork, String netmask, int serviceBits, List<String> bootstrapNodes) {

  public VpnSettings {
    bootstrapNodes = List.copyOf(bootstrapNodes);
    long base;
    try {
      base = Ipv4.parse(baseNetwork);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vpn.baseNetwork: " + e.getMessage());
    }
    int cidr;
    try {
      cidr = Ipv4.prefixLength(netmask);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vpn.netmask: " + e.getMessage());
    }
    if (cidr < 1 || cidr > 30) {
      throw new IllegalArgumentException("vpn.netmask: " + netmask + " (/" + cidr + ") leaves no room for services "
          + "and agents; use /1 to /30");
    }
    if ((base & ~Ipv4.maskOf(cidr) & 0xFFFFFFFFL) != 0) {
      throw new IllegalArgumentException("vpn.baseNetwork: " + baseNetwork + " is not the first address of a /" + cidr
          + " block (vpn.netmask " + netmask + "); did you mean " + Ipv4.format(base & Ipv4.maskOf(cidr)) + "?");
    }
    if (serviceBits < 0 || 32 - cidr - serviceBits < 1) {
      throw new IllegalArgumentException("vpn.serviceBits: " + serviceBits + " must be from 0 to " + (31 - cidr)
          + " with vpn.netmask " + netmask + " (each service needs at least one agent address)");
    }
    for (String node : bootstrapNodes) {
      checkBootstrapNode(node);
    }
  }

  /** ConPaaS's defaults: 172.16.0.0/12 with 5 service bits, no bootstrap nodes. */
  public static VpnSettings defaults() {
    return new VpnSettings("172.16.0.0", "255.240.0.0", 5, List.of());
  }

  /** The UDP relays as ip:port (tcp:// entries are ConPaaS's IPOP TCP relays: WireGuard speaks UDP only). */
  public List<String> udpRelays() {
    return bootstrapNodes.stream().filter(n -> n.startsWith("udp://")).map(n -> n.substring("udp://".length()))
        .toList();
  }

  /** The address plan these settings give. */
  public VpnAddressPlan plan() {
    return new VpnAddressPlan(Ipv4.parse(baseNetwork), Ipv4.prefixLength(netmask), serviceBits);
  }

  private static void checkBootstrapNode(String node) {
    String problem = null;
    try {
      URI uri = new URI(node);
      if (!"udp".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
        problem = "the protocol must be udp or tcp";
      } else if (uri.getHost() == null || uri.getPort() < 1 || uri.getPath() != null && !uri.getPath().isEmpty()) {
        problem = "expected protocol://ip:port";
      } else {
        Ipv4.parse(uri.getHost());
      }
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      problem = "expected protocol://ip:port";
    }
    if (problem != null) {
      throw new IllegalArgumentException("vpn.bootstrapNodes: '" + node + "': " + problem
          + " (e.g. udp://192.168.35.2:40000)");
    }
  }
}
