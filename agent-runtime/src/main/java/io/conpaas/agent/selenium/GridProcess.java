package io.conpaas.agent.selenium;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import io.conpaas.agent.process.UnusableSetupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Selenium Grid component (hub or node) in a JVM of its own, run as the worker user (the VM's
 * account on the local cloud run as root) with a home and temp directory it owns under the role's
 * directory; the agent's directory holds its log and pid file. A supervisor thread starts it again
 * when it dies unexpectedly (doubling pause, at most 30 s), unless {@link #expectExit} said the
 * exit is wanted (a drained node stops itself).
 */
final class GridProcess {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final String name;
  private final Path dir;
  private final WorkerUser user;
  private final Path library;
  private ChildProcess process;
  private List<String> gridArgs;
  private boolean exitExpected;
  private boolean stopped;
  private Thread supervisor;

  /** dir: the component's directory (created; logs/ and the pid file are the agent's, home/ and tmp/ the worker's). */
  GridProcess(String name, Path dir, WorkerUser user, Path library) {
    this.name = name;
    this.dir = RoleConfig.publicDirectory(dir);
    this.user = user;
    RoleConfig.publicDirectory(dir.resolve("logs"));
    SafeFiles.workerDirectory(dir.resolve("home"), user.name(), "rwx------");
    SafeFiles.workerDirectory(dir.resolve("tmp"), user.name(), "rwx------");
    this.library = reachable(library, user, dir.resolve("lib"));
    // A Grid JVM left by an agent killed without stopping its role.
    ChildProcess.killStale(dir.resolve(name + ".pid"), "java");
  }

  /**
   * Runs the Grid with gridArgs (e.g. hub --port ...), replacing a running one whose arguments
   * differ; returns once it listens on probeHost:port (or throws with its log's tail).
   */
  synchronized void run(List<String> args, String probeHost, int port) {
    if (process != null && process.alive() && args.equals(gridArgs)) {
      return;
    }
    stopProcess();
    gridArgs = List.copyOf(args);
    exitExpected = false;
    stopped = false;
    start();
    process.awaitPort(probeHost, port, Duration.ofSeconds(90));
    if (supervisor == null) {
      supervisor = new Thread(this::supervise, "grid-" + name + "-supervisor");
      supervisor.setDaemon(true);
      supervisor.start();
    }
  }

  private void start() {
    Path home = dir.resolve("home");
    List<String> cmd = new ArrayList<>(user.commandPrefix());
    // HOME and TMPDIR for chromedriver and Chromium (profiles, caches): the account's own, per VM.
    cmd.addAll(List.of(Binaries.find("env").toString(), "HOME=" + home, "TMPDIR=" + browserTemp(),
        Binaries.java().toString(), "-XX:+UseSerialGC", "-Xss512k", "-Xmx192m", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-cp", GridLibrary.classpath(library), GridLibrary.MAIN));
    cmd.addAll(gridArgs);
    process = ChildProcess.start("selenium " + name, cmd, dir, dir.resolve("logs/" + name + ".log"));
    RoleConfig.writeAtomically(dir.resolve(name + ".pid"), Long.toString(process.pid()));
  }

  /**
   * The Grid jars where the worker user can read them: library itself, or when one of its parents
   * is closed to that account (a checkout under /root) a copy in the component's own directory,
   * which the VM's account reaches (root-owned, world-readable; refreshed when a jar's size differs).
   */
  static Path reachable(Path library, WorkerUser user, Path copy) {
    try {
      user.checkCanReach(library);
      return library;
    } catch (UnusableSetupException closed) {
      RoleConfig.publicDirectory(copy);
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(library, "*.jar")) {
        for (Path jar : jars) {
          Path target = copy.resolve(jar.getFileName());
          if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.size(target) != Files.size(jar)) {
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the Grid jars to " + copy + ": " + e.getMessage(), e);
      }
      return copy;
    }
  }

  /**
   * Chromium puts its profile and its singleton socket (a Unix socket: at most 107 bytes of path)
   * below TMPDIR; a deep VM directory would make the socket path too long and the browser exit at
   * start, so a long tmp/ gives way to /tmp (Chromium's directories there are private, mode 700).
   */
  private Path browserTemp() {
    Path own = dir.resolve("tmp");
    return own.toString().length() <= 48 ? own : Path.of("/tmp");
  }

  /** The next exit is wanted (a drained node ends itself): it is not started again. */
  synchronized void expectExit() {
    exitExpected = true;
  }

  synchronized boolean alive() {
    return process != null && process.alive();
  }

  /** Stops the component for good (SIGTERM, then SIGKILL after 10 s). */
  synchronized void stop() {
    stopped = true;
    stopProcess();
    if (supervisor != null) {
      supervisor.interrupt();
    }
  }

  synchronized String logTail() {
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
        System.err.println("selenium " + name + " exited unexpectedly; starting it again: " + process.logTail());
        try {
          start();
        } catch (RuntimeException e) {
          System.err.println("selenium " + name + " could not start again: " + e.getMessage());
        }
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
  }
}
