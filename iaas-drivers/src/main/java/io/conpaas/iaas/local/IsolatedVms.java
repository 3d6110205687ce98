package io.conpaas.iaas.local;

import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The isolated VMs of one local Cloud: which VM has a namespace of its own and its underlay
 * address (recorded in the VM's directory before the namespace is made, so a crash in between
 * is cleaned up), the agent environment that goes with it, and the namespaces' removal.
 */
final class IsolatedVms {
  private static final String ADDRESS_FILE = "underlay-address";
  /** Where the agent listens (its namespace's address), read by the agent. */
  static final String BIND = "CONPAAS_AGENT_BIND";
  /** The agent's WireGuard interface name, unique on the host. */
  static final String VPN_INTERFACE = "CONPAAS_VPN_INTERFACE";
  /** Set for an agent in the host's own network namespace: it must not make a VPN interface there. */
  static final String SHARED_NETWORK = "CONPAAS_AGENT_SHARED_NETWORK";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IsolatedVms.class);

  private final Path workDir;
  private final NetworkNamespaces networks;
  /** The neighbour table limit last warned about (again only when an administrator changed it). */
  private volatile long warnedAt = -1;

  IsolatedVms(Path workDir, NetworkNamespaces networks) {
    this.workDir = workDir;
    this.networks = networks;
  }

  Underlay underlay() {
    return networks.underlay();
  }

  /** Gives the VM a namespace and an address on the Cloud's underlay; returns the address (no prefix). */
  String isolate(LocalVmDirectory vm) {
    if (!LocalIsolation.runningAsRoot()) {
      throw new CloudException("NetworkIsolationNeedsRoot", "a local VM with a network of its own (isolateNetwork, "
          + "or an application with spec.vpn.enabled) needs an operator running as root", false);
    }
    Set<Integer> used = new HashSet<>();
    Underlay u = networks.underlay();
    for (Path dir : vmDirs()) {
      address(dir).ifPresent(a -> used.add((int) (parse(a) - u.base())));
    }
    int slot = u.freeSlot(used);
    if (slot < 0) {
      throw new CloudException("NetworkFull", "the local Cloud's network " + u.cidr() + " has no free address", true);
    }
    warnIfTheNeighbourTableIsSmall(used.size() + 1);
    String address = u.agentAddress(slot);
    write(vm.path().resolve(ADDRESS_FILE), address);
    networks.attach(vm.instanceId(), address);
    return address.substring(0, address.indexOf('/'));
  }

  /** Warns when the Cloud's isolated agents outgrow the host's neighbour table (once per limit value). */
  private void warnIfTheNeighbourTableIsSmall(int agents) {
    java.util.OptionalLong limit = NeighbourTable.limit();
    String warning = limit.isPresent() ? NeighbourTable.warning(agents, limit.getAsLong()) : null;
    if (warning != null && limit.getAsLong() != warnedAt) {
      warnedAt = limit.getAsLong();
      LOG.warn("{}", warning);
    }
  }

  /** The VM's underlay address when it has a namespace of its own. */
  Optional<String> addressOf(LocalVmDirectory vm) {
    return address(vm.path()).map(a -> a.substring(0, a.indexOf('/')));
  }

  /** The agent's environment for its network: where to listen and its VPN interface, or that it has none. */
  static void environment(Map<String, String> env, LocalVmDirectory vm, Optional<String> address) {
    if (address.isPresent()) {
      // All of the namespace's addresses, as on a VM: the underlay one and, once up, the VPN one.
      env.put(BIND, "0.0.0.0");
      env.put(VPN_INTERFACE, Underlay.vpnInterface(vm.instanceId()));
    } else {
      env.put(SHARED_NETWORK, "true");
    }
  }

  /**
   * Removes the VM's namespace (and the Cloud's bridge namespace after its last VM); false while
   * processes still ran in it (killed now; the caller tries again).
   */
  boolean release(LocalVmDirectory vm) {
    if (address(vm.path()).isEmpty()) {
      return true;
    }
    if (networks.release(vm.instanceId())) {
      return false;
    }
    boolean others = vmDirs().stream().anyMatch(d -> !d.equals(vm.path()) && address(d).isPresent());
    if (!others) {
      networks.removeUnderlay();
    }
    return true;
  }

  /** The Cloud's bridge namespace and host veth, when they exist (none of its VMs is left). */
  void releaseUnderlay() {
    if (NetworkNamespaces.namespaces().contains(networks.underlay().underlayNamespace())) {
      networks.removeUnderlay();
    }
  }

  private Set<Path> vmDirs() {
    Set<Path> dirs = new HashSet<>();
    if (!Files.isDirectory(workDir)) {
      return dirs;
    }
    try (Stream<Path> s = Files.list(workDir)) {
      s.filter(Files::isDirectory).forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dirs;
  }

  private static Optional<String> address(Path vmDir) {
    Path f = vmDir.resolve(ADDRESS_FILE);
    try {
      return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.US_ASCII).trim())
          .filter(s -> s.contains("/")) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void write(Path file, String value) {
    try {
      Files.writeString(file, value, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long parse(String addressWithPrefix) {
    String[] p = addressWithPrefix.substring(0, addressWithPrefix.indexOf('/')).split("\\.");
    return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8)
        | Long.parseLong(p[3]);
  }
}
