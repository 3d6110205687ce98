package io.conpaas.operator.testing;

import io.conpaas.operator.CodeSettings;
import io.conpaas.operator.LeaderElectionSettings;
import io.conpaas.testing.DevCluster;

import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.iaas.local.ProcessSessions;
import io.conpaas.operator.CloudDriverFactory;
import io.conpaas.operator.ConpaasOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.cloud.DriverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Starts the real operator in-process against the dev cluster, with test-sized timeouts. */
public final class TestOperator {
  private TestOperator() {}

  public static Path agentJar() {
    Path jar = DevCluster.repoRoot().resolve("agent-runtime/target/conpaas-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first");
    }
    return jar;
  }

  public static AgentLauncher agentLauncher() {
    return AgentLauncher.javaJar(Path.of(System.getProperty("java.home")), agentJar());
  }

  /** The production driver factory, running the built agent jar. */
  public static DriverFactory localDrivers(Path defaultWorkDir) {
    trackWorkDir(defaultWorkDir);
    return new CloudDriverFactory(defaultWorkDir, agentLauncher());
  }

  /** A local driver as the operator builds it for a Cloud with this work dir. */
  public static IaasDriver localDriver(Path workDir) {
    trackWorkDir(workDir);
    return new LocalDriver(workDir, agentLauncher());
  }

  /** Settings for an operator that watches only the test's namespace. */
  public static OperatorSettings settings(String namespace, Path workDir, Duration healthTimeout, int maxAttempts) {
    return settings(namespace, workDir, healthTimeout, maxAttempts, Duration.ofMinutes(5));
  }

  /** The same, with the grace period after which VMs that belong to no Agent are terminated. */
  public static OperatorSettings settings(String namespace, Path workDir, Duration healthTimeout, int maxAttempts,
      Duration orphanGrace) {
    return new OperatorSettings("it-" + namespace, "conpaas-system", healthTimeout, maxAttempts,
        Duration.ofSeconds(1), Duration.ofMillis(200), workDir, Set.of(namespace), orphanGrace,
        Duration.ofSeconds(2), 0.5, Duration.ofSeconds(30));
  }

  /** Work dirs of operators started by tests, for the safety net below. */
  private static final Set<String> WORK_DIRS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Test-made things that hold network namespaces or processes (probes, routers), closed at exit after the agents. */
  private static final java.util.Deque<AutoCloseable> AT_EXIT = new java.util.concurrent.ConcurrentLinkedDeque<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestOperator::cleanUpAtExit, "kill-test-agents"));
  }

  /**
   * A test that fails (or a JVM that is stopped) before cleaning up would leave its agent processes
   * running (they are meant to outlive an operator, like VMs): kill them when the test JVM exits, with
   * every server in their sessions (each agent leads its own session; root nginx/php-fpm masters in it
   * would otherwise outlive the agent, and keep its VM account from being swept); then let each local
   * Cloud's driver reap its VMs as on terminate (whatever still runs in an agent's network namespace,
   * e.g. wireguard-go or a test's echo probe, is killed and the namespace, veth and the Cloud's bridge
   * namespace deleted); then close the probes and routers tests registered.
   */
  static void cleanUpAtExit() {
    reapLocalClouds();
    List<ProcessHandle> strays = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(cmd -> WORK_DIRS.stream().anyMatch(cmd::contains)).orElse(false))
        .toList();
    strays.forEach(TestOperator::killWithSession);
    if (!strays.isEmpty()) {
      reapLocalClouds();
    }
    for (AutoCloseable c; (c = AT_EXIT.pollLast()) != null; ) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("kill-test-agents: " + e);
      }
    }
  }

  private static void reapLocalClouds() {
    for (String dir : WORK_DIRS) {
      for (Path cloudDir : cloudDirs(Path.of(dir))) {
        try {
          int left = new LocalDriver(cloudDir, agentLauncherOrNone()).terminateAll(Duration.ofSeconds(10));
          if (left > 0) {
            System.err.println("kill-test-agents: " + left + " local VMs under " + cloudDir + " not reaped");
          }
        } catch (RuntimeException e) {
          System.err.println("kill-test-agents: " + cloudDir + ": " + e);
        }
      }
    }
  }

  /** Closes c at the test JVM's exit unless closed before (close must be idempotent). */
  public static void closeAtExit(AutoCloseable c) {
    AT_EXIT.add(c);
  }

  /** A tracked dir is a Cloud's work dir or holds them (an operator's default dir: one per Cloud name). */
  private static List<Path> cloudDirs(Path dir) {
    List<Path> dirs = new java.util.ArrayList<>(List.of(dir));
    if (Files.isDirectory(dir)) {
      try (java.util.stream.Stream<Path> children = Files.list(dir)) {
        children.filter(Files::isDirectory).filter(c -> !Files.exists(c.resolve("meta.properties"))).forEach(dirs::add);
      } catch (java.io.IOException e) {
        // Only the dir itself.
      }
    }
    return dirs;
  }

  /** The launcher is not used to terminate; the agent jar may be missing in a JVM that ran none. */
  private static AgentLauncher agentLauncherOrNone() {
    return contextFile -> List.of("false");
  }

  /** Agents started under this directory are killed when the test JVM exits (a Cloud's own workDir too). */
  public static void trackWorkDir(Path workDir) {
    WORK_DIRS.add(workDir.toAbsolutePath().toString());
  }

  private static void killWithSession(ProcessHandle agent) {
    List<ProcessHandle> session = ProcessSessions.members(agent.pid()).toList();
    agent.destroyForcibly();
    session.forEach(ProcessHandle::destroyForcibly);
  }

  public static ConpaasOperator start(OperatorSettings settings, DriverFactory drivers) {
    return start(settings, drivers, CodeSettings.beside(settings.localWorkDir()));
  }

  /** The same with code settings of the test's choosing (e.g. small upload caps). */
  public static ConpaasOperator start(OperatorSettings settings, DriverFactory drivers, CodeSettings code) {
    return start(settings, drivers, code, Clock.systemUTC());
  }

  /** The same with a clock of the test's choosing (e.g. one it moves forward). */
  public static ConpaasOperator start(OperatorSettings settings, DriverFactory drivers, CodeSettings code,
      Clock clock) {
    trackWorkDir(settings.localWorkDir());
    ConpaasOperator op = new ConpaasOperator(DevCluster.client(), settings, LeaderElectionSettings.disabled(), code,
        drivers, clock);
    op.start();
    return op;
  }
}
