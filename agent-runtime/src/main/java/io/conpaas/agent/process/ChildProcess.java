package io.conpaas.agent.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server process a role started and owns: it runs in the foreground, logging to one file. */
public final class ChildProcess {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts command in dir, appending its output to log, which must lie in a directory only the
   * agent writes (IllegalStateException otherwise). The child stays in the agent's process
   * group, so killing the group (as the local cloud does with a VM) also ends it.
   */
  public static ChildProcess start(String name, List<String> command, Path dir, Path log) {
    try {
      // Root opens the log: it must be in a directory only root writes, or the server's account
      // could put a link there and have root append to any file (SafeFiles).
      Path target = SafeFiles.appendableLog(log);
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(target.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      return new ChildProcess(name, p, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** The process handle (for its children, e.g. nginx workers). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * Kills the process named in pidFile if it still runs and its command contains expected: a
   * server left behind by an agent that was killed without stopping its role.
   */
  public static void killStale(Path pidFile, String expected) {
    long pid;
    try {
      // Not through a link: some pid files lie in the server account's directory.
      pid = Long.parseLong(SafeFiles.readTail(pidFile, 32).orElse("").trim());
    } catch (NumberFormatException e) {
      return;
    }
    ProcessHandle.of(pid).filter(h -> h.info().command().map(c -> c.contains(expected)).orElse(false))
        .ifPresent(h -> {
          h.descendants().forEach(ProcessHandle::destroyForcibly);
          h.destroyForcibly();
          for (int i = 0; i < 100 && h.isAlive(); i++) {
            sleep(50);
          }
        });
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Sends a signal by name (HUP, USR2, QUIT, ...). */
  public void signal(String signal) {
    Commands.run(List.of("kill", "-s", signal, Long.toString(process.pid())), Duration.ofSeconds(10));
  }

  /** Waits until host:port accepts connections; throws with the log's tail when the process dies or time runs out. */
  public void awaitPort(String host, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue() + ": " + logTail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException(name + " did not listen on " + host + ":" + port + " within " + timeout
        + ": " + logTail());
  }

  /** Asks the process to stop (SIGTERM), then kills it after grace. */
  public void stop(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of the process's log, for error messages. */
  public String logTail() {
    return LogFile.tail(log, 15).orElse("(no log at " + log + ")");
  }

  /** Sleeps, turning an interrupt into an IllegalStateException (servers are waited for in short polls). */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
