package io.conpaas.iaas.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A local Cloud's underlay network, pure: an IPv4 block whose first address the host holds (on a
 * veth into the Cloud's bridge namespace) and whose next ones its isolated agents get, and the
 * names of the namespaces and interfaces the Cloud makes (all derived from its work directory, so
 * two Clouds never share one, and short enough for Linux's 15-character interface names).
 */
record Underlay(long base, int prefix, String id) {
  static final String AGENT_NS_PREFIX = "cpa-";
  static final String UNDERLAY_NS_PREFIX = "cpu-";

  /** The Cloud's underlay: cidr when given (/16 to /29), else a /24 in 10.200.0.0/13 derived from key. */
  static Underlay of(String cidr, String key) {
    String id = hash(key, 5);
    if (cidr == null || cidr.isBlank()) {
      byte[] h = HexFormat.of().parseHex(hash(key + "/net", 2));
      return new Underlay((10L << 24) | ((200L + (h[0] & 7)) << 16) | ((h[1] & 255L) << 8), 24, id);
    }
    String[] parts = cidr.trim().split("/");
    int prefix;
    long base;
    try {
      prefix = Integer.parseInt(parts[1]);
      base = parseAddress(parts[0]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("spec.local.network: '" + cidr + "' is not an IPv4 CIDR such as 10.213.7.0/24");
    }
    if (parts.length != 2 || prefix < 16 || prefix > 29) {
      throw new IllegalArgumentException("spec.local.network: '" + cidr + "' must be a block from /16 to /29");
    }
    long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    if ((base & ~mask & 0xFFFFFFFFL) != 0) {
      throw new IllegalArgumentException("spec.local.network: '" + cidr + "' is not the first address of its block");
    }
    return new Underlay(base, prefix, id);
  }

  String cidr() {
    return format(base) + "/" + prefix;
  }

  /** The host's address on the underlay (its veth into the bridge namespace). */
  String hostAddress() {
    return format(base + 1);
  }

  /** The address of agent slot n (2 .. size - 2), as address/prefix. */
  String agentAddress(int slot) {
    return format(base + slot) + "/" + prefix;
  }

  /** The lowest agent slot not in use, or -1 when the block is full. */
  int freeSlot(Set<Integer> used) {
    long size = 1L << (32 - prefix);
    for (int slot = 2; slot < size - 1; slot++) {
      if (!used.contains(slot)) {
        return slot;
      }
    }
    return -1;
  }

  /** The namespace that holds the Cloud's bridge. */
  String underlayNamespace() {
    return UNDERLAY_NS_PREFIX + id;
  }

  /** The host's end of the veth into the bridge namespace. */
  String hostVeth() {
    return "cpu" + id;
  }

  static String agentNamespace(String instanceId) {
    return AGENT_NS_PREFIX + instanceId;
  }

  /** The bridge-side end of an agent's veth (moved into the bridge namespace). */
  static String agentVeth(String instanceId) {
    return "cv" + hash(instanceId, 6);
  }

  /** The agent's WireGuard interface (unique on the host: wireguard-go's control socket is named after it). */
  static String vpnInterface(String instanceId) {
    return "cpw" + hash(instanceId, 6);
  }

  static String format(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  private static long parseAddress(String text) {
    String[] p = text.split("\\.");
    if (p.length != 4) {
      throw new IllegalArgumentException(text);
    }
    long v = 0;
    for (String o : p) {
      int n = Integer.parseInt(o);
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException(text);
      }
      v = (v << 8) | n;
    }
    return v;
  }

  private static String hash(String key, int bytes) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
