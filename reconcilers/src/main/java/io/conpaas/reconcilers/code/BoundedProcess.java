package io.conpaas.reconcilers.code;

import io.conpaas.reconcilers.net.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a command (git) with a real time limit: its output is read on a thread of its own while
 * we wait (a full pipe cannot stall the child, and a child that never exits cannot stall us), only
 * the first outputCap bytes are kept, and on timeout or when watched exceeds its size cap the
 * whole process tree (git and its remote helpers) is killed.
 */
final class BoundedProcess {
  private static final int OUTPUT_CAP = 64 * 1024;

  private BoundedProcess() {}

  /** A size that must not grow beyond max while the command runs (e.g. the clone's directory). */
  record SizeCap(LongSupplier size, long max, String what) {}

  /** Runs cmd in dir with the extra environment; returns its output or throws with what failed. */
  static String run(Path dir, Map<String, String> env, List<String> removeEnv, Deadline deadline, SizeCap cap,
      List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    removeEnv.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> drain(p.getInputStream(), out), "bounded-process-output");
    reader.setDaemon(true);
    reader.start();
    String name = cmd.get(0) + " " + cmd.get(1);
    try {
      while (!p.waitFor(Math.min(500, Math.max(1, deadline.remaining().toMillis())), TimeUnit.MILLISECONDS)) {
        if (deadline.expired()) {
          killTree(p);
          throw new IOException(name + " did not finish within " + GuardedDownload.human(deadline.total()));
        }
        if (cap != null && cap.size().getAsLong() > cap.max()) {
          killTree(p);
          throw new IOException(cap.what() + " exceeds the limit of " + cap.max() + " bytes");
        }
      }
    } catch (InterruptedException e) {
      killTree(p);
      throw e;
    }
    // The pipe closes when the last process holding it exits; bounded anyway.
    reader.join(1000);
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    if (p.exitValue() != 0) {
      throw new IOException(name + " failed: " + text.strip());
    }
    return text;
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        synchronized (out) {
          int keep = Math.min(n, OUTPUT_CAP - out.size());
          if (keep > 0) {
            out.write(buf, 0, keep);
          }
        }
      }
    } catch (IOException ignored) {
      // The process was killed or closed its output: what we have is what there is.
    }
  }

  /** Kills the children first (git-remote-http etc.), then the process. */
  static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** The total size of the regular files under dir (0 if it is gone). */
  static long treeSize(Path dir) {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }
}
