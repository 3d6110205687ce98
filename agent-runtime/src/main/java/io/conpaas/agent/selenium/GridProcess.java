package io.conpaas.agent.selenium;

import io.conpaas.agent.process.JarLibrary;
import io.conpaas.agent.process.SupervisedJvm;
import io.conpaas.agent.process.WorkerUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Selenium Grid component (hub or node) in a supervised JVM of its own ({@link SupervisedJvm}),
 * with the Grid jars where its account reads them.
 */
final class GridProcess {
  private final SupervisedJvm jvm;
  private final Path library;

  /** dir: the component's directory (see SupervisedJvm). */
  GridProcess(String name, Path dir, WorkerUser user, Path library) {
    this.jvm = new SupervisedJvm(name, "selenium " + name, dir, user);
    this.library = JarLibrary.reachable(library, user, dir.resolve("lib"));
  }

  /**
   * Runs the Grid with gridArgs (e.g. hub --port ...), replacing a running one whose arguments
   * differ; returns once it listens on probeHost:port (or throws with its log's tail).
   */
  void run(List<String> args, String probeHost, int port) {
    // HOME and TMPDIR for chromedriver and Chromium (profiles, caches): the account's own, per VM.
    Map<String, String> env = Map.of("HOME", jvm.home().toString(), "TMPDIR", browserTemp().toString());
    jvm.run(new SupervisedJvm.Launch(env, List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx192m",
        "-XX:TieredStopAtLevel=1"), JarLibrary.classpath(library), GridLibrary.MAIN, args), probeHost, port,
        Duration.ofSeconds(90));
  }

  /**
   * Chromium puts its profile and its singleton socket (a Unix socket: at most 107 bytes of path)
   * below TMPDIR; a deep VM directory would make the socket path too long and the browser exit at
   * start, so a long tmp/ gives way to /tmp (Chromium's directories there are private, mode 700).
   */
  private Path browserTemp() {
    Path own = jvm.tmp();
    return own.toString().length() <= 48 ? own : Path.of("/tmp");
  }

  /** The next exit is wanted (a drained node ends itself): it is not started again. */
  void expectExit() {
    jvm.expectExit();
  }

  boolean alive() {
    return jvm.alive();
  }

  /** Stops the component for good (SIGTERM, then SIGKILL after 10 s). */
  void stop() {
    jvm.stop();
  }

  String logTail() {
    return jvm.logTail();
  }
}
