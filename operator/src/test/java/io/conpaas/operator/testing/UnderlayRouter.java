package io.conpaas.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * "The internet" between some local Clouds' underlays, for tests: a router namespace of ours with a
 * veth onto each Cloud's bridge (in the Cloud's bridge namespace, holding the block's .254) that
 * forwards inside itself only, and in each agent namespace of those Clouds a route to the blocks it
 * may reach via its .254 (as a VM's DHCP would give). Blocks without such routes stay apart. A
 * background loop keeps this true as VMs (and bridge namespaces) come and go; nothing in the host's
 * namespace changes. Everything goes with the router namespace on close.
 */
public final class UnderlayRouter implements AutoCloseable {
  /** One Cloud: where its VMs' directories are, its /24, and the /24s its VMs may reach. */
  public record Link(Path cloudDir, String network, List<String> reaches) {
    String gateway() {
      return network.replace(".0/24", ".254");
    }

    String host() {
      return network.replace(".0/24", ".1");
    }
  }

  private final String name;
  private final List<Link> links;
  private final Map<Integer, String> bridges = new HashMap<>();
  private final Set<String> routed = new HashSet<>();
  private final Thread loop;
  private volatile boolean open = true;

  private UnderlayRouter(String name, List<Link> links) {
    this.name = name;
    this.links = List.copyOf(links);
    this.loop = new Thread(this::run, "underlay-router");
    loop.setDaemon(true);
  }

  /** Starts the router (name: a namespace name unique to the test, at most 15 characters). */
  public static UnderlayRouter start(String name, List<Link> links) {
    UnderlayRouter r = new UnderlayRouter(name, links);
    ip("netns", "add", name);
    ip("-n", name, "link", "set", "lo", "up");
    exec(List.of("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
    r.loop.start();
    TestOperator.closeAtExit(r);
    return r;
  }

  private void run() {
    while (open) {
      try {
        sync();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("UnderlayRouter: " + e.getMessage());
      }
    }
  }

  private void sync() {
    List<String> namespaces = NetnsProbe.namespaces();
    routed.retainAll(namespaces);
    for (int i = 0; i < links.size(); i++) {
      Link l = links.get(i);
      String bridge = bridges.computeIfAbsent(i, k -> bridgeNamespace(l.host()));
      if (bridge == null) {
        bridges.remove(i);
      } else if (namespaces.contains(bridge) && exec(List.of("ip", "-n", name, "link", "show", "r" + i)).code != 0) {
        // First time, or the bridge namespace went with the Cloud's last VM and came back.
        exec(List.of("ip", "-n", name, "link", "add", "r" + i, "type", "veth", "peer", "name", "rtr" + i, "netns",
            bridge));
        exec(List.of("ip", "-n", bridge, "link", "set", "rtr" + i, "master", "br0", "up"));
        exec(List.of("ip", "-n", name, "addr", "add", l.gateway() + "/24", "dev", "r" + i));
        exec(List.of("ip", "-n", name, "link", "set", "r" + i, "up"));
      }
      for (String ns : namespaces) {
        if (!ns.startsWith("cpa-") || routed.contains(ns) || !Files.isDirectory(l.cloudDir().resolve(ns.substring(4)))) {
          continue;
        }
        boolean ok = true;
        for (String to : l.reaches()) {
          ok &= exec(List.of("ip", "-n", ns, "route", "replace", to, "via", l.gateway())).code == 0;
        }
        if (ok) {
          routed.add(ns);
        }
      }
    }
  }

  /** The bridge namespace of the Cloud whose underlay the host reaches at host (cpu-&lt;id&gt; for veth cpu&lt;id&gt;). */
  private static String bridgeNamespace(String host) {
    for (String line : exec(List.of("ip", "-o", "-4", "addr", "show")).out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && f[3].startsWith(host + "/") && f[1].startsWith("cpu")) {
        return "cpu-" + f[1].substring(3);
      }
    }
    return null;
  }

  @Override
  public void close() {
    open = false;
    loop.interrupt();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exec(List.of("ip", "netns", "del", name));
  }

  private record Result(int code, String out) {}

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Result r = exec(cmd);
    if (r.code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + r.out);
    }
  }

  private static Result exec(List<String> command) {
    try {
      Path out = Files.createTempFile("underlay-router", ".out");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(-1, "timed out");
        }
        try (var in = Files.newInputStream(out)) {
          return new Result(p.exitValue(), new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8));
        }
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
