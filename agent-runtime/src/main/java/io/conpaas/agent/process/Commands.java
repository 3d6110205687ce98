package io.conpaas.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (a config test, a signal) and returns its output, or throws with it. */
public final class Commands {
  private Commands() {}

  /** The command's combined output; IllegalStateException naming it when it fails or hangs. */
  public static String run(List<String> command, Duration timeout) {
    Result r = tryRun(command, timeout);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
          + r.output().strip());
    }
    return r.output();
  }

  /** Exit code and combined output of a command that finished within timeout. */
  public record Result(int exitCode, String output) {}

  /** Runs command; a command that does not finish within timeout is killed and reported as exit -1. */
  public static Result tryRun(List<String> command, Duration timeout) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      // The outputs here are a few lines; reading before waitFor avoids a full-pipe deadlock.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "\n(timed out after " + timeout + ")");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }
}
