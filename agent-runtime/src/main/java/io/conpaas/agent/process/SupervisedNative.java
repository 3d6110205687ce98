package io.conpaas.agent.process;

import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A native server (a SeaweedFS daemon) run as the worker user, with a home directory it owns
 * under its directory and its log (logs/&lt;name&gt;.log) and pid file in the agent's part. A
 * supervisor thread starts it again when it dies unexpectedly (doubling pause, at most 30 s).
 * The native counterpart of {@link SupervisedJvm}.
 */
public final class SupervisedNative {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  /** What to run: environment additions and the command line (program first). */
  public record Launch(Map<String, String> env, List<String> command) {
    public Launch {
      env = Map.copyOf(env);
      command = List.copyOf(command);
    }
  }

  private final String name;
  private final String label;
  private final Path dir;
  private final WorkerUser user;
  private ChildProcess process;
  private Launch launch;
  private boolean stopped;
  private Thread supervisor;

  /** program: the binary's file name, to recognise a process left by an agent killed without warning. */
  public SupervisedNative(String name, String label, Path dir, WorkerUser user, String program) {
    this.name = name;
    this.label = label;
    this.dir = RoleConfig.publicDirectory(dir);
    this.user = user;
    RoleConfig.publicDirectory(dir.resolve("logs"));
    SafeFiles.workerDirectory(dir.resolve("home"), user.name(), "rwx------");
    ChildProcess.killStale(dir.resolve(name + ".pid"), program);
  }

  public Path home() {
    return dir.resolve("home");
  }

  public Path log() {
    return dir.resolve("logs/" + name + ".log");
  }

  /** Runs launch (replacing a running process whose launch differs); waits until it listens on host:port. */
  public synchronized void run(Launch wanted, String probeHost, int port, Duration timeout) {
    if (start(wanted)) {
      process.awaitPort(probeHost, port, timeout);
    }
  }

  /** Starts launch without waiting, replacing a running process whose launch differs; false when it runs already. */
  public synchronized boolean start(Launch wanted) {
    if (process != null && process.alive() && wanted.equals(launch)) {
      return false;
    }
    stopProcess();
    launch = wanted;
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
    cmd.addAll(launch.command());
    process = ChildProcess.start(label, cmd, home(), log());
    RoleConfig.writeAtomically(dir.resolve(name + ".pid"), Long.toString(process.pid()));
  }

  public synchronized boolean alive() {
    return process != null && process.alive();
  }

  /** Stops the process for good (SIGTERM, then SIGKILL after 10 s). */
  public synchronized void stop() {
    stopped = true;
    stopProcess();
    if (supervisor != null) {
      supervisor.interrupt();
      // A later start gets a supervisor of its own (this one ends with the interrupt).
      supervisor = null;
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
        if (process == null || process.alive()) {
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
