package io.conpaas.iaas.local;

import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes and removes a local Cloud's network namespaces with iproute2: one bridge namespace per
 * Cloud (its underlay switch, joined to the host by one veth whose host end holds the block's
 * first address) and one namespace per isolated agent with a veth onto that bridge. Every address
 * lives on an interface of these namespaces or on the host's veth into them; nothing else is
 * touched (no forwarding, no route in the host's table beyond its veth's own block). Every command
 * is bounded in time and output.
 */
final class NetworkNamespaces {
  private static final long TIMEOUT_SECONDS = 10;
  private static final int MAX_OUTPUT = 8192;
  private static final String BRIDGE = "br0";
  private static final String UPLINK = "uplink";
  /** wireguard-go's control sockets (one per interface, shared by every namespace of the host). */
  static final Path WIREGUARD_SOCKETS = Path.of("/var/run/wireguard");

  private final Underlay underlay;

  NetworkNamespaces(Underlay underlay) {
    this.underlay = underlay;
  }

  Underlay underlay() {
    return underlay;
  }

  /** The command prefix that runs a program in the agent's namespace. */
  static List<String> execIn(String instanceId) {
    return List.of(ip(), "netns", "exec", Underlay.agentNamespace(instanceId));
  }

  /** The Cloud's bridge namespace and the host's veth into it, made when missing. */
  void ensureUnderlay() {
    String ns = underlay.underlayNamespace();
    if (!namespaces().contains(ns)) {
      run(ip(), "netns", "add", ns);
      run(ip(), "-n", ns, "link", "set", "lo", "up");
      run(ip(), "-n", ns, "link", "add", BRIDGE, "type", "bridge");
      run(ip(), "-n", ns, "link", "set", BRIDGE, "up");
    }
    if (!quiet(ip(), "link", "show", underlay.hostVeth())) {
      quiet(ip(), "-n", ns, "link", "del", UPLINK);
      run(ip(), "link", "add", underlay.hostVeth(), "type", "veth", "peer", "name", UPLINK, "netns", ns);
      run(ip(), "addr", "add", underlay.hostAddress() + "/" + underlay.prefix(), "dev", underlay.hostVeth());
      run(ip(), "link", "set", underlay.hostVeth(), "up");
      run(ip(), "-n", ns, "link", "set", UPLINK, "master", BRIDGE, "up");
    }
  }

  /** The agent's namespace with its veth on the bridge and its address (address/prefix). */
  void attach(String instanceId, String address) {
    ensureUnderlay();
    String ns = Underlay.agentNamespace(instanceId);
    String veth = Underlay.agentVeth(instanceId);
    release(instanceId);
    run(ip(), "netns", "add", ns);
    run(ip(), "-n", ns, "link", "set", "lo", "up");
    run(ip(), "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
    run(ip(), "link", "set", veth, "netns", underlay.underlayNamespace());
    run(ip(), "-n", underlay.underlayNamespace(), "link", "set", veth, "master", BRIDGE, "up");
    run(ip(), "-n", ns, "addr", "add", address, "dev", "eth0");
    run(ip(), "-n", ns, "link", "set", "eth0", "up");
  }

  /**
   * Removes the agent's namespace (its veth goes with it) after killing whatever still runs in it
   * (a process outlives its namespace's name), and its WireGuard control socket.
   * Returns whether processes were still running (then it is called again later).
   */
  boolean release(String instanceId) {
    String ns = Underlay.agentNamespace(instanceId);
    boolean hadProcesses = false;
    if (namespaces().contains(ns)) {
      for (String pid : output(ip(), "netns", "pids", ns).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
          hadProcesses = true;
        }
      }
      if (hadProcesses && !output(ip(), "netns", "pids", ns).isBlank()) {
        return true;
      }
      quiet(ip(), "netns", "del", ns);
    }
    try {
      Files.deleteIfExists(WIREGUARD_SOCKETS.resolve(Underlay.vpnInterface(instanceId) + ".sock"));
    } catch (IOException e) {
      // Harmless: a stale socket file of a gone interface.
    }
    return false;
  }

  /** The Cloud's bridge namespace and the host's veth, once no agent uses them. */
  void removeUnderlay() {
    quiet(ip(), "netns", "del", underlay.underlayNamespace());
    quiet(ip(), "link", "del", underlay.hostVeth());
  }

  /** Whether any agent namespace of this host still uses the Cloud's bridge (its veths live there). */
  boolean underlayInUse() {
    return namespaces().contains(underlay.underlayNamespace())
        && output(ip(), "-n", underlay.underlayNamespace(), "-o", "link", "show", "master", BRIDGE).lines()
            .anyMatch(l -> !l.contains(UPLINK + "@"));
  }

  static List<String> namespaces() {
    List<String> names = new ArrayList<>();
    for (String line : output(ip(), "netns", "list").split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  static String ip() {
    for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return "ip";
  }

  private static void run(String... command) {
    Result r = exec(command);
    if (r.code() != 0) {
      throw new CloudException("NetworkSetupFailed", String.join(" ", command) + " failed: " + r.output().trim(), true);
    }
  }

  private static boolean quiet(String... command) {
    return exec(command).code() == 0;
  }

  private static String output(String... command) {
    Result r = exec(command);
    return r.code() == 0 ? r.output() : "";
  }

  private record Result(int code, String output) {}

  private static Result exec(String... command) {
    Path out = null;
    try {
      // Output to a file, so a command that hangs without writing is still cut off by the timeout.
      out = Files.createTempFile("conpaas-ip", ".out");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
      }
      byte[] bytes;
      try (var in = Files.newInputStream(out)) {
        bytes = in.readNBytes(MAX_OUTPUT);
      }
      return new Result(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A leftover temp file.
        }
      }
    }
  }
}
