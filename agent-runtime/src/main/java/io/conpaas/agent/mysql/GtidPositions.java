package io.conpaas.agent.mysql;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses MariaDB GTID positions ("domain-server-seq,..."): the highest sequence number per domain. */
final class GtidPositions {
  private GtidPositions() {}

  static Map<String, Long> parse(String position) {
    Map<String, Long> seq = new LinkedHashMap<>();
    if (position == null) {
      return seq;
    }
    for (String gtid : position.split(",")) {
      String[] parts = gtid.trim().split("-");
      if (parts.length == 3) {
        try {
          seq.merge(parts[0], Long.parseLong(parts[2]), Math::max);
        } catch (NumberFormatException ignored) {
          // Not a GTID; nothing to compare.
        }
      }
    }
    return seq;
  }
}
