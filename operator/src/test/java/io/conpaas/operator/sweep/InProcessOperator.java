package io.conpaas.operator.sweep;

import io.conpaas.operator.CloudDriverFactory;
import io.conpaas.operator.ConpaasOperator;
import io.conpaas.operator.OperatorConfig;
import io.conpaas.operator.faults.ApiWriteInterceptor;
import io.conpaas.operator.faults.CrashHooks;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An operator instance inside the test's JVM, wired as OperatorMain wires the jar (its own API
 * client, drivers, simulated clouds and agents' listener; settings from the same CONPAAS_ variables)
 * with crash hooks always on: at its crash point, or when the sweep kills it, the instance refuses
 * every later write to the API server, the cloud and the agents, so what it wrote stays written and
 * nothing more leaves it, as with Runtime.halt; its simulated clouds and agents stop as with the end
 * of its process, and its threads are stopped in the background. A start costs ~0.5 s instead of a
 * JVM's ~8 s. The operator code keeps no state in static fields (the simulated clouds were the last,
 * now owned by their driver factory), so a new instance starts from what the cluster and the clouds
 * say, as a new process does.
 */
final class InProcessOperator implements SweptOperator {
  private final CrashHooks hooks;
  private final CountDownLatch halted = new CountDownLatch(1);
  private final Path writeLog;
  private final Path log;
  private volatile KubernetesClient client;
  private volatile CloudDriverFactory drivers;
  private volatile ConpaasOperator operator;
  private volatile boolean ready;
  private volatile boolean closed;
  /** Every instance started and not yet closed: a failing test kills them all (see closeAll). */
  private static final java.util.Set<InProcessOperator> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private InProcessOperator(String crashAt, Path writeLog, Path log) {
    this.writeLog = writeLog;
    this.log = log;
    this.hooks = CrashHooks.inProcess(crashAt, writeLog, status -> halted.countDown());
  }

  /**
   * Starts one for namespace with the sweep's settings plus extra (CONPAAS_TEST_CRASH_AT and
   * CONPAAS_TEST_WRITE_LOG as for the jar); log gets its write log (every write it attempted).
   */
  static InProcessOperator start(String namespace, Path workDir, Path log, Map<String, String> extra) {
    Path writes = extra.containsKey(CrashHooks.WRITE_LOG) ? Path.of(extra.get(CrashHooks.WRITE_LOG))
        : log.resolveSibling(log.getFileName().toString().replaceAll("\\.log$", "") + ".writes");
    InProcessOperator op = new InProcessOperator(extra.get(CrashHooks.CRASH_AT), writes, log);
    Map<String, String> settings = OperatorProcess.settings(namespace, workDir, 0);
    settings.putAll(extra);
    op.note("=== start " + java.time.Instant.now() + " " + extra);
    RUNNING.add(op);
    try {
      op.run(new OperatorConfig(new Properties(), settings));
    } catch (CrashHooks.InstanceHalted e) {
      op.note("halted during start: " + e.getMessage());
    } catch (RuntimeException e) {
      if (!op.hooks.dead()) {
        op.close();
        throw e;
      }
      // A crash point inside a start step: the step's exception wraps the halt.
      op.note("halted during start: " + e);
    }
    return op;
  }

  private void run(OperatorConfig config) {
    KubernetesClient plain = DevCluster.client();
    client = new KubernetesClientBuilder().withConfig(plain.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiWriteInterceptor.NAME,
            new ApiWriteInterceptor(hooks)))
        .build();
    OperatorSettings settings = config.settings(() -> {
      throw new IllegalStateException("the sweep sets CONPAAS_CLUSTER_ID");
    });
    drivers = new CloudDriverFactory(settings.localWorkDir(), io.conpaas.operator.testing.TestOperator.agentLauncher());
    operator = new ConpaasOperator(client, settings, config.leaderElection(), config.code(), drivers,
        Clock.systemUTC(), hooks);
    operator.start();
    ready = !hooks.dead();
  }

  /**
   * Numbers its writes afresh from now on into writeLog (may be null) and halts at crashAt (null:
   * none): a running operator crashing at the Nth write of what it does next.
   */
  void arm(String crashAt, Path writeLog) {
    hooks.arm(crashAt, writeLog);
    note("=== armed " + java.time.Instant.now() + " at " + crashAt + (writeLog == null ? "" : ", writes to " + writeLog));
  }

  @Override
  public boolean alive() {
    return !hooks.dead() && !closed;
  }

  @Override
  public int awaitExit(Duration timeout) {
    if (hooks.dead() && halted.getCount() == 0) {
      return CrashHooks.HALT_STATUS;
    }
    if (closed) {
      return 137; // killed, as SIGKILL reports it
    }
    try {
      return halted.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? CrashHooks.HALT_STATUS : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public boolean awaitReady() {
    return ready && alive();
  }

  @Override
  public String tail(int lines) {
    StringBuilder b = new StringBuilder();
    for (Path p : List.of(log, writeLog)) {
      try {
        List<String> all = Files.exists(p) ? Files.readAllLines(p) : List.of();
        b.append("--- ").append(p.getFileName()).append('\n')
            .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))).append('\n');
      } catch (IOException e) {
        b.append("(no ").append(p.getFileName()).append(": ").append(e.getMessage()).append(")\n");
      }
    }
    return b.toString();
  }

  /**
   * Kills it: no write leaves it from now on; the writes already sent get up to 2 s to be answered
   * (they reach the server whatever happens to the sender); then its simulated agents stop (their
   * ports are the next instance's) and its threads are stopped in the background.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RUNNING.remove(this);
    hooks.kill();
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (hooks.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10); // the test harness waits for in-flight writes to land, not a reconciler
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (drivers != null) {
      drivers.close();
    }
    ConpaasOperator o = operator;
    KubernetesClient c = client;
    Thread stopper = new Thread(() -> {
      try {
        if (o != null) {
          o.close();
        }
      } catch (RuntimeException | Error e) {
        // a halted instance's stop may fail anywhere: it is being discarded
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }, "stop-discarded-operator");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Kills every instance a test started and did not close (after a failure). */
  static void closeAll() {
    RUNNING.forEach(InProcessOperator::close);
  }

  private void note(String line) {
    try {
      Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the note is for a failure message only
    }
  }
}
