package io.conpaas.reconcilers.vpn;

/** Dotted-quad IPv4 addresses as unsigned 32-bit values (in a long) and back. */
public final class Ipv4 {
  private Ipv4() {}

  /** The value of a dotted quad such as 172.16.0.0; IllegalArgumentException when it is not one. */
  public static long parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no address");
    }
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
    }
    long value = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String format(long value) {
    return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
  }

  /** The prefix length of a contiguous netmask such as 255.240.0.0 (12); IllegalArgumentException otherwise. */
  public static int prefixLength(String netmask) {
    long mask = parse(netmask);
    int ones = Long.bitCount(mask);
    if (mask != maskOf(ones)) {
      throw new IllegalArgumentException("'" + netmask + "' is not a netmask (its one bits must come first)");
    }
    return ones;
  }

  /** The netmask of a prefix length as a value. */
  public static long maskOf(int prefixLength) {
    return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
  }
}
