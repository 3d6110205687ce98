package io.conpaas.agent.vpn;

import io.conpaas.agent.api.VpnConfig;
import java.util.Base64;
import java.util.regex.Pattern;

/** Checks a pushed VPN configuration before any of it reaches a command line (IllegalArgumentException). */
final class VpnConfigCheck {
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private VpnConfigCheck() {}

  static void check(VpnConfig c) {
    if (c.address() == null || !IPV4.matcher(c.address()).matches()) {
      throw new IllegalArgumentException("address must be an IPv4 address, got " + c.address());
    }
    prefix(c.network());
    if (c.peers().size() > VpnConfig.MAX_PEERS) {
      throw new IllegalArgumentException("more than " + VpnConfig.MAX_PEERS + " peers");
    }
    if (c.relays().size() > VpnConfig.MAX_RELAYS) {
      throw new IllegalArgumentException("more than " + VpnConfig.MAX_RELAYS + " relays");
    }
    for (String relay : c.relays()) {
      endpoint(relay, "relay");
    }
    if (c.keepaliveSeconds() < 1 || c.keepaliveSeconds() > 120) {
      throw new IllegalArgumentException("keepaliveSeconds must be from 1 to 120, got " + c.keepaliveSeconds());
    }
    for (VpnConfig.Peer p : c.peers()) {
      key(p.publicKey());
      endpoint(p.endpoint(), "peer endpoint");
      if (p.relayed() && c.relays().isEmpty()) {
        throw new IllegalArgumentException("peer " + p.publicKey() + " is relayed but no relay is given");
      }
      String a = p.allowedIp() == null ? "" : p.allowedIp();
      if (!a.endsWith("/32") || !IPV4.matcher(a.substring(0, a.length() - 3)).matches()) {
        throw new IllegalArgumentException("peer allowedIp must be one address (a.b.c.d/32), got " + p.allowedIp());
      }
    }
  }

  /** An ipv4:port, else IllegalArgumentException naming what it is. */
  static java.net.InetSocketAddress endpoint(String value, String what) {
    String ep = value == null ? "" : value;
    int colon = ep.lastIndexOf(':');
    if (colon < 0 || !IPV4.matcher(ep.substring(0, colon)).matches() || !port(ep.substring(colon + 1))) {
      throw new IllegalArgumentException(what + " must be ipv4:port, got " + value);
    }
    return new java.net.InetSocketAddress(ep.substring(0, colon), Integer.parseInt(ep.substring(colon + 1)));
  }

  /** The prefix length of an a.b.c.d/n network. */
  static int prefix(String network) {
    String n = network == null ? "" : network;
    int slash = n.indexOf('/');
    if (slash < 0 || !IPV4.matcher(n.substring(0, slash)).matches() || !n.substring(slash + 1).matches("\\d{1,2}")
        || Integer.parseInt(n.substring(slash + 1)) > 32) {
      throw new IllegalArgumentException("network must be a.b.c.d/n, got " + network);
    }
    return Integer.parseInt(n.substring(slash + 1));
  }

  private static void key(String k) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(k == null ? "" : k);
    } catch (IllegalArgumentException e) {
      raw = new byte[0];
    }
    if (raw.length != 32 || k.length() != 44) {
      throw new IllegalArgumentException("peer publicKey must be a base64 WireGuard key, got " + k);
    }
  }

  private static boolean port(String p) {
    return p.matches("\\d{1,5}") && Integer.parseInt(p) >= 1 && Integer.parseInt(p) <= 65535;
  }
}
