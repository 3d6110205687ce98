package io.conpaas.agent.process;

import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server in a JVM of its own (a Selenium Grid component, a Hadoop daemon), run as the worker
 * user (the VM's account on the local cloud run as root) with a home and temp directory it owns
 * under its directory; the agent's part of that directory holds its log (logs/&lt;name&gt;.log) and
 * pid file. A supervisor thread starts it again when it dies unexpectedly (doubling pause, at most
 * 30 s), unless {@link #expectExit} said the exit is wanted.
 */
public final class SupervisedJvm {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  /** What to run: environment additions, JVM options, class path, main class and its arguments. */
  public record Launch(Map<String, String> env, List<String> jvmOptions, String classpath, String mainClass,
      List<String> args) {
    public Launch {
      env = Map.copyOf(env);
      jvmOptions = List.copyOf(jvmOptions);
      args = List.copyOf(args);
    }
  }

  private final String name;
  private final String label;
  private final Path dir;
  private final WorkerUser user;
  private ChildProcess process;
  private Launch launch;
  private boolean exitExpected;
  private boolean stopped;
  private Thread supervisor;

  /**
   * label: what logs call it (e.g. "selenium hub"); dir: its directory (created; logs/ and the pid
   * file are the agent's, home/ and tmp/ the worker's).
   */
  public SupervisedJvm(String name, String label, Path dir, WorkerUser user) {
    this.name = name;
    this.label = label;
    this.dir = RoleConfig.publicDirectory(dir);
    this.user = user;
    RoleConfig.publicDirectory(dir.resolve("logs"));
    SafeFiles.workerDirectory(dir.resolve("home"), user.name(), "rwx------");
    SafeFiles.workerDirectory(dir.resolve("tmp"), user.name(), "rwx------");
    // A JVM left by an agent killed without stopping its role.
    ChildProcess.killStale(dir.resolve(name + ".pid"), "java");
  }

  public Path dir() {
    return dir;
  }

  /** The worker's home directory (HOME of the JVM). */
  public Path home() {
    return dir.resolve("home");
  }

  /** The worker's temp directory (java.io.tmpdir of the JVM). */
  public Path tmp() {
    return dir.resolve("tmp");
  }

  public Path log() {
    return dir.resolve("logs/" + name + ".log");
  }

  /**
   * Runs launch, replacing a running JVM whose launch differs; returns once it listens on
   * probeHost:port (or throws with its log's tail).
   */
  public synchronized void run(Launch wanted, String probeHost, int port, Duration timeout) {
    if (launch(wanted)) {
      process.awaitPort(probeHost, port, timeout);
    }
  }

  /**
   * Starts launch without waiting for it to serve, replacing a running JVM whose launch differs;
   * false when the same launch runs already.
   */
  public synchronized boolean launch(Launch wanted) {
    if (process != null && process.alive() && wanted.equals(launch)) {
      return false;
    }
    stopProcess();
    launch = wanted;
    exitExpected = false;
    stopped = false;
    start();
    if (supervisor == null) {
      supervisor = new Thread(this::supervise, label + "-supervisor");
      supervisor.setDaemon(true);
      supervisor.start();
    }
    return true;
  }

  private void start() {
    List<String> cmd = new ArrayList<>(user.commandPrefix());
    cmd.add(Binaries.find("env").toString());
    Map<String, String> env = new TreeMap<>(launch.env());
    env.putIfAbsent("HOME", home().toString());
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add(Binaries.java().toString());
    cmd.addAll(launch.jvmOptions());
    cmd.addAll(List.of("-Djava.io.tmpdir=" + tmp(), "-cp", launch.classpath(), launch.mainClass()));
    cmd.addAll(launch.args());
    process = ChildProcess.start(label, cmd, dir, log());
    RoleConfig.writeAtomically(dir.resolve(name + ".pid"), Long.toString(process.pid()));
  }

  /** The next exit is wanted (a drained node ends itself): it is not started again. */
  public synchronized void expectExit() {
    exitExpected = true;
  }

  public synchronized boolean alive() {
    return process != null && process.alive();
  }

  /** Stops the JVM for good (SIGTERM, then SIGKILL after 10 s). */
  public synchronized void stop() {
    stopped = true;
    stopProcess();
    if (supervisor != null) {
      supervisor.interrupt();
    }
  }

  public synchronized String logTail() {
    return process == null ? "" : process.logTail();
  }

  private void stopProcess() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
      process = null;
    }
  }

  private void supervise() {
    Duration pause = FIRST_PAUSE;
    while (true) {
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (stopped) {
          return;
        }
        if (process == null || process.alive() || exitExpected) {
          pause = FIRST_PAUSE;
          continue;
        }
        System.err.println(label + " exited unexpectedly; starting it again: " + process.logTail());
        try {
          start();
        } catch (RuntimeException e) {
          System.err.println(label + " could not start again: " + e.getMessage());
        }
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
  }
}
