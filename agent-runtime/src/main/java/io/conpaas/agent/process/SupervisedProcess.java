package io.conpaas.agent.process;

import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A daemon run as the worker user under a directory of its own (home/ the worker's; logs/&lt;name&gt;.log
 * and the pid file the agent's), started again by a supervisor thread when it dies unexpectedly
 * (doubling pause, at most 30 s) unless {@link #expectExit} said the exit is wanted. L is what to run;
 * subclasses turn it into a command line.
 */
abstract class SupervisedProcess<L> {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final String name;
  private final String label;
  private final Path dir;
  private final WorkerUser user;
  private ChildProcess process;
  private L launch;
  private boolean exitExpected;
  private boolean stopped;
  private Thread supervisor;

  /**
   * label: what logs call it; dir: its directory (created); program: the executable's file name, to
   * recognise a process left by an agent killed without stopping its role (it is killed).
   */
  SupervisedProcess(String name, String label, Path dir, WorkerUser user, String program) {
    this.name = name;
    this.label = label;
    this.dir = RoleConfig.publicDirectory(dir);
    this.user = user;
    RoleConfig.publicDirectory(dir.resolve("logs"));
    SafeFiles.workerDirectory(dir.resolve("home"), user.name(), "rwx------");
    ChildProcess.killStale(dir.resolve(name + ".pid"), program);
  }

  /** Environment additions of this launch (HOME defaults to {@link #home()}). */
  abstract Map<String, String> environment(L launch);

  /** The command line of this launch, program first. */
  abstract List<String> commandLine(L launch);

  /** The process's working directory. */
  abstract Path workingDirectory();

  public Path dir() {
    return dir;
  }

  /** The worker's home directory (HOME of the process). */
  public Path home() {
    return dir.resolve("home");
  }

  public Path log() {
    return dir.resolve("logs/" + name + ".log");
  }

  WorkerUser user() {
    return user;
  }

  /**
   * Runs launch, replacing a running process whose launch differs; returns once it listens on
   * probeHost:port (or throws with its log's tail).
   */
  public synchronized void run(L wanted, String probeHost, int port, Duration timeout) {
    if (launch(wanted)) {
      process.awaitPort(probeHost, port, timeout);
    }
  }

  /**
   * Starts launch without waiting for it to serve, replacing a running process whose launch differs;
   * false when the same launch runs already.
   */
  public synchronized boolean launch(L wanted) {
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
    Map<String, String> env = new TreeMap<>(environment(launch));
    env.putIfAbsent("HOME", home().toString());
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(commandLine(launch));
    process = ChildProcess.start(label, cmd, workingDirectory(), log());
    RoleConfig.writeAtomically(dir.resolve(name + ".pid"), Long.toString(process.pid()));
  }

  /** The next exit is wanted (a drained node ends itself): it is not started again. */
  public synchronized void expectExit() {
    exitExpected = true;
  }

  public synchronized boolean alive() {
    return process != null && process.alive();
  }

  /** The running process's id, if any (tests kill it to see it come back). */
  synchronized java.util.OptionalLong pid() {
    return process == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(process.pid());
  }

  /** Stops the process for good (SIGTERM, then SIGKILL after 10 s). */
  public synchronized void stop() {
    stopped = true;
    stopProcess();
    if (supervisor != null) {
      supervisor.interrupt();
      // A later launch gets a supervisor of its own: this one ends with the interrupt.
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
        if (stopped || Thread.currentThread() != supervisor) {
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
