package io.conpaas.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command with a time limit and keeps at most a fixed number of bytes of its output. */
final class BoundedCommand {
  /** Exit code and (possibly cut) standard output of one run. */
  record Outcome(int exitCode, String output) {}

  private static final int MAX_OUTPUT_BYTES = 1 << 20;

  private BoundedCommand() {}

  /**
   * Output goes to a file, not a pipe: reading a pipe to its end would block past the time limit
   * when the command hangs, and hold whatever it prints in memory.
   */
  static Outcome run(List<String> command, Duration limit, boolean mergeErrors) {
    return run(command, Map.of(), limit, mergeErrors);
  }

  /** The same with these variables added to the command's environment. */
  static Outcome run(List<String> command, Map<String, String> env, Duration limit, boolean mergeErrors) {
    Path out = null;
    try {
      out = Files.createTempFile("conpaas-cmd-", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
      pb.environment().putAll(env);
      if (mergeErrors) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      }
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish within " + limit + ": " + command
            + "; output: " + head(out));
      }
      return new Outcome(p.exitValue(), head(out));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private static String head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
    }
  }
}
