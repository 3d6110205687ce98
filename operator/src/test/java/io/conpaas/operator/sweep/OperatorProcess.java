package io.conpaas.operator.sweep;

import io.conpaas.operator.faults.CrashHooks;
import io.conpaas.testing.DevCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar run as a child JVM (as hack/operator.sh runs it), scoped to one namespace, with a
 * simulated Cloud's VMs under workDir. Killing it ends its in-process simulated agents too; their
 * VMs, keys and applied configuration stay on disk and are served again by the next operator.
 */
public final class OperatorProcess implements SweptOperator {
  private static final Path JAR = DevCluster.repoRoot().resolve("operator/target/conpaas-operator.jar");

  /** Every operator started and not yet closed: a failing test kills them all (see closeAll). */
  private static final java.util.Set<OperatorProcess> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** How long a start may take: minutes when the machine is loaded (a JVM, informers, CRD checks). */
  private static final Duration START = Duration.ofMinutes(5);

  /** A class-data archive of the operator's start (see recordClassArchive); null: none. */
  private static volatile Path classArchive;

  /** The operator's line once it serves its probes (OperatorMain), with the port it bound. */
  private static final java.util.regex.Pattern PROBES = java.util.regex.Pattern.compile("probes on :(\\d+)");

  private final Process process;
  private final Path log;
  /** Where this start's lines begin in the log (other starts share the file). */
  private final long logStart;
  /** The probe port, read from the log once the operator bound it; 0 before. */
  private volatile int healthPort;

  private OperatorProcess(Process process, Path log, long logStart) {
    this.process = process;
    this.log = log;
    this.logStart = logStart;
  }

  /** Starts an operator for namespace; extra: more environment (e.g. the crash hook's variables). */
  public static OperatorProcess start(String namespace, Path workDir, Path log, Map<String, String> extra) {
    return start(namespace, workDir, log, extra, List.of());
  }

  /**
   * Runs one operator with -XX:ArchiveClassesAtExit until it is ready, stops it gently (the archive is
   * written at exit) and makes every later start of this JVM use it: a sweep starts hundreds of
   * operators and a start is most of a point's time (the archive saves ~15 % of its CPU). Best effort:
   * without an archive the operators start as before.
   */
  public static void recordClassArchive(String namespace, Path workDir, Path log) {
    Path archive = log.resolveSibling("operator-" + ProcessHandle.current().pid() + ".jsa").toAbsolutePath();
    OperatorProcess op = start(namespace, workDir, log, Map.of(), List.of("-XX:ArchiveClassesAtExit=" + archive));
    try {
      op.awaitReady();
      op.process.destroy(); // SIGTERM: shutdown hooks run, then the JVM writes the archive
      if (op.awaitExit(Duration.ofSeconds(60)) != -1 && Files.isRegularFile(archive)) {
        classArchive = archive;
      }
    } finally {
      op.close();
    }
  }

  private static OperatorProcess start(String namespace, Path workDir, Path log, Map<String, String> extra,
      List<String> jvmOptions) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: the sweep runs in mvn verify, after package");
    }
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new java.util.ArrayList<>(List.of(javaBin.toString(), "-XX:+UseSerialGC", "-Xmx256m",
        "-Xss512k", "-XX:TieredStopAtLevel=1", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    Path archive = classArchive;
    if (archive != null) {
      cmd.add("-XX:SharedArchiveFile=" + archive);
    }
    cmd.addAll(jvmOptions);
    boolean hooks = extra.keySet().stream().anyMatch(k -> k.startsWith("CONPAAS_TEST_"));
    if (hooks) {
      cmd.add("-D" + CrashHooks.PROPERTY + "=" + CrashHooks.ENABLED);
    }
    cmd.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CONPAAS_"));
    env.put("KUBECONFIG", DevCluster.kubeconfig());
    // Port 0: the operator binds a free port itself and logs it. A port picked here and handed over
    // could be taken in between (a CI run saw "Address already in use").
    Map<String, String> settings = settings(namespace, workDir, 0);
    settings.putAll(extra);
    env.putAll(settings);
    try {
      Files.writeString(log, "=== start " + java.time.Instant.now() + " " + extra + "\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      OperatorProcess op = new OperatorProcess(pb.start(), log, Files.size(log));
      RUNNING.add(op);
      return op;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The operator's settings (as CONPAAS_ variables) for a sweep world: scoped to namespace, its
   * simulated Cloud's VMs under workDir, short resyncs so that a world converges within seconds.
   */
  static Map<String, String> settings(String namespace, Path workDir, int healthPort) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("CONPAAS_CLUSTER_ID", "it-" + namespace);
    settings.put("CONPAAS_NAMESPACES", namespace);
    settings.put("CONPAAS_HEALTH_PORT", Integer.toString(healthPort));
    settings.put("CONPAAS_UPLOAD_PORT", "0");
    settings.put("CONPAAS_LOCAL_WORK_DIR", workDir.toString());
    settings.put("CONPAAS_CODE_STORE_DIR", workDir.resolve("code-store").toString());
    settings.put("CONPAAS_LOCAL_AGENT_JAR", DevCluster.repoRoot().resolve("agent-runtime/target/conpaas-agent.jar")
        .toString());
    settings.put("CONPAAS_AGENT_HEALTH_TIMEOUT", "60s");
    settings.put("CONPAAS_AGENT_RUNNING_RESYNC", "2s");
    settings.put("CONPAAS_INVENTORY_MAX_AGE", "200ms");
    settings.put("CONPAAS_CLOUD_RESYNC", "2s");
    return settings;
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  /** Waits up to timeout for the process to end; its exit status, or -1 when it still runs. */
  public int awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Waits until /readyz answers or the process ends (a crash point during start); true when ready.
   * Convergence clocks start after this, so a slow start on a loaded machine is not a failure.
   */
  public boolean awaitReady() {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive()) {
        return false;
      }
      if (ready()) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    throw new IllegalStateException("operator not ready after " + START + "\n" + tail(30));
  }

  /** Kills every operator a test started and did not close (after a failure). */
  public static void closeAll() {
    RUNNING.forEach(OperatorProcess::close);
  }

  /** True once /readyz answers 200. */
  public boolean ready() {
    int healthPort = healthPort();
    if (healthPort == 0) {
      return false;
    }
    try {
      HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + healthPort + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The probe port this start's operator logged, or 0 while it has not. */
  private int healthPort() {
    if (healthPort == 0) {
      try (var in = Files.newInputStream(log)) {
        in.skipNBytes(logStart);
        java.util.regex.Matcher m = PROBES.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        if (m.find()) {
          healthPort = Integer.parseInt(m.group(1));
        }
      } catch (IOException e) {
        return 0;
      }
    }
    return healthPort;
  }

  /** The last lines of its log (for a failure message). */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills it without warning (SIGKILL), as a node failure would. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(this);
  }
}
