package io.conpaas.iaas.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The host kernel's IPv4 neighbour (ARP) table, which every network namespace shares: its hard limit
 * (net.ipv4.neigh.default.gc_thresh3, 1024 by default) caps the entries of all namespaces together.
 * Isolated agents that all talk to each other over one Cloud's underlay (a VPN mesh: WireGuard
 * keepalives to every peer) hold an entry per peer each, about n² in all: past the limit the kernel
 * refuses new entries ("neighbor table overflow") and agents, and the operator's calls to them, stop
 * reaching each other. 50 agents need ~2,550 entries; the default fits ~31.
 */
final class NeighbourTable {
  static final Path LIMIT = Path.of("/proc/sys/net/ipv4/neigh/default/gc_thresh3");
  static final String SETTING = "net.ipv4.neigh.default.gc_thresh3";

  private NeighbourTable() {}

  /** Entries a full mesh of n isolated agents needs: one per peer in each namespace, and host <-> each agent. */
  static long meshEntries(int agents) {
    long n = agents;
    return n * (n - 1) + 2 * n;
  }

  /** The limit, when this host says (not on every kernel or container). */
  static OptionalLong limit() {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(LIMIT, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException | SecurityException e) {
      return OptionalLong.empty();
    }
  }

  /** The warning for n agents against this limit, or null while they fit. */
  static String warning(int agents, long limit) {
    long needed = meshEntries(agents);
    if (needed <= limit) {
      return null;
    }
    return agents + " agents in network namespaces of this local Cloud need up to " + needed + " neighbour (ARP) "
        + "entries when they all talk to each other (a VPN mesh), more than this host's " + SETTING + " = " + limit
        + " (shared by every namespace): past it agents stop reaching each other and the operator. Raise it, e.g. "
        + "sysctl -w " + SETTING + "=" + Math.max(4 * needed, 4096) + " (and gc_thresh2 to about half of it)";
  }
}
