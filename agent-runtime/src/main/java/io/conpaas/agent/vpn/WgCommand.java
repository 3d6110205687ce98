package io.conpaas.agent.vpn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs wg and ip with a time limit, an output cap and, when given, a secret on standard input
 * only (never in the command line, which every local user can read, nor in a file).
 */
final class WgCommand {
  private static final long TIMEOUT_SECONDS = 10;
  private static final int MAX_OUTPUT = 1 << 20;

  private WgCommand() {}

  static String run(List<String> command) {
    return run(command, null);
  }

  /** The command's output; IllegalStateException naming the command (never the input) when it fails. */
  static String run(List<String> command, String stdin) {
    Path out = null;
    try {
      out = Files.createTempFile("conpaas-wg", ".out");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out after " + TIMEOUT_SECONDS + " s");
      }
      String output;
      try (var in = Files.newInputStream(out)) {
        output = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
            + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A leftover temp file holds no secret (only the output).
        }
      }
    }
  }
}
