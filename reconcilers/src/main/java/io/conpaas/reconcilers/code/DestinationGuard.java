package io.conpaas.reconcilers.code;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether the operator may fetch from a host named in a user's spec: the host is
 * resolved once and every address it resolves to must be public (not loopback, link-local such
 * as the cloud metadata address, private, shared, unspecified or multicast) unless the
 * operator's allow-list (code.sourceAllowedNetworks: CIDRs or host names) names it. The caller
 * connects to the address returned here, never to a second resolution of the name (a DNS
 * answer that changes between check and connect cannot redirect the fetch).
 */
public final class DestinationGuard {
  /** Resolves a host name to its addresses (InetAddress.getAllByName in production). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A destination that passed: the host as named, and the address to connect to. */
  public record Destination(String host, InetAddress address) {}

  /** The fetch was refused because of where it would go; the message says why and how to allow it. */
  public static final class Refused extends IOException {
    public Refused(String message) {
      super(message);
    }
  }

  private static final List<Cidr> REFUSED = List.of(
      Cidr.parse("0.0.0.0/8"), // "this network", unspecified
      Cidr.parse("10.0.0.0/8"),
      Cidr.parse("100.64.0.0/10"), // shared address space (some clouds' metadata services live here)
      Cidr.parse("127.0.0.0/8"),
      Cidr.parse("169.254.0.0/16"), // link-local: 169.254.169.254 is the cloud metadata service
      Cidr.parse("172.16.0.0/12"),
      Cidr.parse("192.0.0.0/24"),
      Cidr.parse("192.168.0.0/16"),
      Cidr.parse("198.18.0.0/15"),
      Cidr.parse("224.0.0.0/4"), // multicast
      Cidr.parse("240.0.0.0/4"), // reserved and broadcast
      Cidr.parse("::/128"),
      Cidr.parse("::1/128"),
      Cidr.parse("fc00::/7"), // unique local
      Cidr.parse("fe80::/10"), // link-local
      Cidr.parse("fec0::/10"), // site-local (deprecated)
      Cidr.parse("ff00::/8")); // multicast

  private final List<Cidr> allowedNetworks;
  private final List<String> allowedHosts;
  private final Resolver resolver;

  /** allowList: CIDRs (10.0.0.0/8, fd00::/8), single addresses, or host names allowed whatever they resolve to. */
  public DestinationGuard(List<String> allowList, Resolver resolver) {
    List<Cidr> networks = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (String entry : allowList) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (Cidr.looksLikeAddress(e)) {
        networks.add(Cidr.parse(e));
      } else {
        hosts.add(e.toLowerCase(Locale.ROOT));
      }
    }
    this.allowedNetworks = List.copyOf(networks);
    this.allowedHosts = List.copyOf(hosts);
    this.resolver = resolver;
  }

  /** The production guard: the system resolver. */
  public static DestinationGuard withAllowList(List<String> allowList) {
    return new DestinationGuard(allowList, InetAddress::getAllByName);
  }

  /** Resolves host and returns the address to connect to, or throws Refused (also when it does not resolve). */
  public Destination check(String host) throws IOException {
    if (host == null || host.isBlank()) {
      throw new Refused("the URL names no host");
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new IOException("host " + bare + " does not resolve");
    }
    if (addresses.length == 0) {
      throw new IOException("host " + bare + " does not resolve");
    }
    boolean hostAllowed = allowedHosts.contains(bare.toLowerCase(Locale.ROOT));
    for (InetAddress a : addresses) {
      String why = hostAllowed ? null : refusal(a);
      if (why != null) {
        // Every address must pass: a name with one public and one private address is refused.
        throw new Refused("host " + bare + " resolves to " + a.getHostAddress() + ", " + why
            + "; the operator fetches only from public addresses unless code.sourceAllowedNetworks allows it");
      }
    }
    return new Destination(bare, addresses[0]);
  }

  /** Why an address is refused, or null when it may be fetched from. */
  String refusal(InetAddress address) {
    InetAddress a = embeddedIpv4(address);
    for (Cidr allowed : allowedNetworks) {
      if (allowed.contains(a) || allowed.contains(address)) {
        return null;
      }
    }
    if (a.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (a.isLinkLocalAddress() || inRange(a, "169.254.0.0/16", "fe80::/10")) {
      return "a link-local address (such as the cloud metadata service)";
    }
    if (a.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    for (Cidr c : REFUSED) {
      if (c.contains(a)) {
        return "a private or reserved address (" + c + ")";
      }
    }
    return null;
  }

  private static boolean inRange(InetAddress a, String... cidrs) {
    for (String c : cidrs) {
      if (Cidr.parse(c).contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IPv4 address an IPv6 address carries (IPv4-compatible ::a.b.c.d, IPv4-mapped
   * ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::), else the address itself: the
   * connection would reach that IPv4 address, so it is what is checked.
   */
  static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    byte[] v4 = null;
    if (allZero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
      // ::/96 except :: and ::1 themselves, which are IPv6's own unspecified and loopback.
      boolean special = b[10] == 0 && allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1);
      v4 = special ? null : new byte[] {b[12], b[13], b[14], b[15]};
    } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = new byte[] {b[2], b[3], b[4], b[5]};
    }
    if (v4 == null) {
      return address;
    }
    try {
      return Inet4Address.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
