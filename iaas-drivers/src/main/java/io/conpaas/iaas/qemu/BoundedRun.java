package io.conpaas.iaas.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short helper command (qemu-img, a qemu probe) with a deadline and a cap on what it
 * prints: a helper that hangs (qemu on a /dev/kvm that never answers) is killed, never waited for.
 */
final class BoundedRun {
  /** How a run ended: exit status (-1 when killed at the deadline) and its output (capped). */
  record Result(int status, boolean timedOut, String output) {
    boolean ok() {
      return status == 0 && !timedOut;
    }
  }

  private static final int OUTPUT_CAP = 64 * 1024;

  private BoundedRun() {}

  static Result run(List<String> command, Duration timeout, String stdin) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, false, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> drain(p.getInputStream(), out), "bounded-run-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // The command did not want input.
      }
      boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, true, text(out));
      }
      reader.join(1000);
      return new Result(p.exitValue(), false, text(out));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, true, text(out));
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        synchronized (out) {
          if (out.size() < OUTPUT_CAP) {
            out.write(buf, 0, Math.min(n, OUTPUT_CAP - out.size()));
          }
        }
      }
    } catch (IOException e) {
      // The process was killed.
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8).strip();
    }
  }
}
