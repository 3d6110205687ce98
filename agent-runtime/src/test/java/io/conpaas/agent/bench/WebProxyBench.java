package io.conpaas.agent.bench;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.code.TestArchives;
import io.conpaas.agent.web.PhpBackendRole;
import io.conpaas.agent.web.ProxyRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark behind hack/bench-web.sh (prints numbers; not a test): requests per second of a small
 * PHP page straight to one PHP backend (its nginx + php-fpm) and through a proxy in front of that
 * backend, with the same fixed number of keep-alive clients, and the ratio proxy/direct. The roles
 * run in-process on real nginx and php-fpm, as in the web role tests. Rounds alternate direct and
 * proxy (ABBA order) so that drift of a shared machine hits both alike; medians are reported, and
 * the CPU time each part spent per request (from /proc), which shows where a lower ratio comes from.
 *
 * <p>System properties: bench.clients (16), bench.seconds (3, per measurement), bench.rounds (6),
 * bench.warmup (2 seconds per target), bench.pin (false: true puts the backend's servers on CPU 0
 * and the proxy and clients on CPU 1). Exit status 1 when any request failed (anything but a 200
 * with the expected body), 2 when the roles could not start.
 */
public final class WebProxyBench {
  static final String PAGE = "/bench.php";
  /** A few lines from PHP, no session, no I/O: the measure is the proxy hop, not the application. */
  private static final String PHP = "<?php\n"
      + "header('Content-Type: text/plain');\n"
      + "echo 'served by ', $_SERVER['CONPAAS_AGENT'], \"\\n\";\n"
      + "for ($i = 1; $i <= 5; $i++) { echo 'line ', $i, \" of the benchmark page\\n\"; }\n";
  static final String EXPECTED_BODY;

  static {
    StringBuilder b = new StringBuilder("served by php-backend-0\n");
    for (int i = 1; i <= 5; i++) {
      b.append("line ").append(i).append(" of the benchmark page\n");
    }
    EXPECTED_BODY = b.toString();
  }

  /** Which server a child process of this JVM is (first match on its command line: php-fpm's names its backend). */
  private static final Map<String, String> SERVERS = servers();

  private WebProxyBench() {}

  private static Map<String, String> servers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("php-fpm", "php-fpm");
    m.put("php-proxy-0", "proxy nginx");
    m.put("php-backend-0", "backend nginx");
    return m;
  }

  public static void main(String[] args) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    int clients = Integer.getInteger("bench.clients", 16);
    int seconds = Integer.getInteger("bench.seconds", 3);
    int rounds = Integer.getInteger("bench.rounds", 6);
    int warmup = Integer.getInteger("bench.warmup", 2);
    boolean pin = Boolean.parseBoolean(System.getProperty("bench.pin", "false"));

    Path dir = Files.createTempDirectory("bench-web");
    // The servers run as www-data when we run as root: they must reach their directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<RolePlugin> started = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(started, dir), "bench-cleanup"));

    String direct;
    String proxied;
    try {
      PhpBackendRole backend = start(started, dir, "php-backend-0", new PhpBackendRole(ArchiveLimits.defaults()));
      backend.configure(Map.of());
      backend.code().upload("v1", new ByteArrayInputStream(TestArchives.zip().file("bench.php", PHP).bytes()), -1);
      backend.activate("v1");
      ProxyRole proxy = start(started, dir, "php-proxy-0", new ProxyRole(false));
      direct = "127.0.0.1:" + backend.facts().get("port");
      proxy.configure(Map.of("backends", direct));
      proxied = "127.0.0.1:" + proxy.facts().get("port");
    } catch (RuntimeException e) {
      System.err.println("bench-web: cannot start the roles: " + e);
      System.exit(2);
      return;
    }
    if (pin && cores < 2) {
      System.out.println("(fewer than 2 cores: not pinning)");
      pin = false;
    }
    if (pin) {
      pinServersAndClients();
    }

    LoadRun.Target directTarget = LoadRun.Target.of("direct", direct);
    LoadRun.Target proxyTarget = LoadRun.Target.of("proxy", proxied);
    System.out.printf("GET %s with %d keep-alive clients, %d s per measurement, %d rounds (ABBA order), %d s warm-up"
        + " per target, %d cores%n", PAGE, clients, seconds, rounds, warmup, cores);
    System.out.println(pin
        ? "  pinned: backend nginx+php-fpm on CPU 0; proxy nginx and the clients on CPU 1 (proxy as on a VM of its own)"
        : "  not pinned: backend, proxy and clients share all cores (the proxy's CPU is taken from the backend's)");
    System.out.printf("  direct: backend nginx+php-fpm at %s; proxy: nginx at %s -> that backend%n", direct, proxied);

    for (LoadRun.Target t : List.of(directTarget, proxyTarget)) {
      LoadRun.Result w = LoadRun.run(t, clients, warmup);
      if (w.failed() > 0 || w.ok() == 0) {
        System.out.printf("warm-up against %s: %d failed, %d answered; first error: %s%n", t.name(), w.failed(),
            w.ok(), w.firstError());
        System.exit(1);
      }
    }

    double[] directRps = new double[rounds];
    double[] proxyRps = new double[rounds];
    double[] ratios = new double[rounds];
    Measured directCpu = new Measured();
    Measured proxyCpu = new Measured();
    long failed = 0;
    for (int r = 0; r < rounds; r++) {
      boolean directFirst = r % 2 == 0;
      LoadRun.Result first = measure(directFirst ? directTarget : proxyTarget, clients, seconds,
          directFirst ? directCpu : proxyCpu);
      LoadRun.Result second = measure(directFirst ? proxyTarget : directTarget, clients, seconds,
          directFirst ? proxyCpu : directCpu);
      LoadRun.Result d = directFirst ? first : second;
      LoadRun.Result p = directFirst ? second : first;
      directRps[r] = d.perSecond();
      proxyRps[r] = p.perSecond();
      ratios[r] = p.perSecond() / d.perSecond();
      failed += d.failed() + p.failed();
      System.out.printf("  round %d: direct %7.0f req/s   proxy %7.0f req/s   ratio %.3f%s%n", r + 1, d.perSecond(),
          p.perSecond(), ratios[r], d.failed() + p.failed() > 0
              ? "   (" + (d.failed() + p.failed()) + " failed: " + firstNonNull(d.firstError(), p.firstError()) + ")"
              : "");
    }
    double directMedian = median(directRps);
    double proxyMedian = median(proxyRps);
    System.out.printf("direct to the backend (median): %7.0f req/s%n", directMedian);
    System.out.printf("through the proxy (median):     %7.0f req/s%n", proxyMedian);
    System.out.printf("ratio proxy/direct:             %7.3f   (median of the rounds' ratios %.3f; target >= 0.9)%n",
        proxyMedian / directMedian, median(ratios));
    System.out.printf("failed requests:                %7d%n", failed);
    directCpu.print("direct");
    proxyCpu.print("proxy");
    System.out.flush();
    System.exit(failed > 0 ? 1 : 0);
  }

  private static <R extends RolePlugin> R start(List<RolePlugin> started, Path dir, String name, R role)
      throws IOException {
    Path vm = Files.createDirectories(dir.resolve(name));
    role.init(new RoleContext(name, vm, "127.0.0.1"));
    started.add(role);
    return role;
  }

  /**
   * The backend's servers on CPU 0, the proxy's nginx and this JVM (the clients) on CPU 1: the
   * backend keeps a core of its own, as it would on its own VM. Children inherit their parent's
   * affinity, so php-fpm and nginx workers forked later stay where their master is.
   */
  private static void pinServersAndClients() throws IOException, InterruptedException {
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      String group = CpuTicks.group(child.pid(), SERVERS);
      if (group == null) {
        continue;
      }
      String cpu = group.equals("proxy nginx") ? "1" : "0";
      taskset(cpu, child.pid());
      for (ProcessHandle d : child.descendants().toList()) {
        taskset(cpu, d.pid());
      }
    }
    taskset("1", ProcessHandle.current().pid());
  }

  private static void taskset(String cpu, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpu, Long.toString(pid))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 && ProcessHandle.of(pid).isPresent()) {
      throw new IOException("taskset -a -p -c " + cpu + " " + pid + " failed: " + out.strip());
    }
  }

  private static LoadRun.Result measure(LoadRun.Target target, int clients, int seconds, Measured into)
      throws InterruptedException {
    Map<String, Long> before = CpuTicks.snapshot(SERVERS);
    LoadRun.Result result = LoadRun.run(target, clients, seconds);
    into.add(result, CpuTicks.minus(CpuTicks.snapshot(SERVERS), before));
    return result;
  }

  /** CPU ticks and good answers of all the measurements of one target. */
  private static final class Measured {
    private long requests;
    private Map<String, Long> ticks = new LinkedHashMap<>();

    void add(LoadRun.Result result, Map<String, Long> delta) {
      requests += result.ok();
      ticks = CpuTicks.plus(ticks, delta);
    }

    /** CPU microseconds per request by part (a tick is 10 ms), and of the whole machine (other tenants included). */
    void print(String name) {
      if (requests == 0 || ticks.isEmpty()) {
        return;
      }
      List<String> parts = new ArrayList<>();
      ticks.forEach((k, v) -> {
        if (!k.equals(CpuTicks.MACHINE) && !k.equals(CpuTicks.MACHINE_ALL) && (v > 0 || !k.equals("proxy nginx"))) {
          parts.add(String.format("%s %.1f", k, perRequest(v)));
        }
      });
      String line = String.format("CPU us per request, %-6s: %s", name, String.join(", ", parts));
      long all = ticks.getOrDefault(CpuTicks.MACHINE_ALL, 0L);
      if (all > 0) {
        line += String.format(" | whole machine %.1f (%.0f%% busy)", perRequest(ticks.get(CpuTicks.MACHINE)),
            100.0 * ticks.get(CpuTicks.MACHINE) / all);
      }
      System.out.println(line);
    }

    private double perRequest(long t) {
      return t * 10_000.0 / requests;
    }
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static void cleanUp(List<RolePlugin> started, Path dir) {
    for (RolePlugin role : started) {
      try {
        role.stop();
      } catch (RuntimeException e) {
        System.err.println("bench-web: stopping " + role.name() + ": " + e);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench-web: could not remove " + dir + ": " + e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
