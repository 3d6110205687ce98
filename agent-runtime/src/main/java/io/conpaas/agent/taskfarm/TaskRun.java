package io.conpaas.agent.taskfarm;

import io.conpaas.agent.api.TaskFarmKeys;
import io.conpaas.agent.api.TaskFarmKeys.Assignment;
import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task of a bag: /bin/sh -c with the command, as the worker user (never root), in a fresh
 * directory of its own that the worker user owns, with a small allow-listed environment, stdin
 * from /dev/null and a time limit (the whole process tree is killed at the limit: exit code -1).
 * Only the last {@link TaskFarmKeys#TAIL_BYTES} bytes of the output are kept; the rest is drained.
 */
final class TaskRun {
  private final WorkerUser user;
  private final Path tasksDir;
  /** The mounted file system volume (spec.fileSystem), handed to tasks as CONPAAS_FS; null when none. */
  private volatile Path fileSystem;

  TaskRun(WorkerUser user, Path tasksDir) {
    this.user = user;
    this.tasksDir = tasksDir;
  }

  /** The mount point tasks get as CONPAAS_FS (null: none). */
  void fileSystem(Path mountPoint) {
    this.fileSystem = mountPoint;
  }

  /**
   * Runs the assignment and returns its result; slowdown above 1 keeps the slot for slowdown times
   * the run's wall time before returning (the local Cloud's slower instance types, see
   * InstanceTypeSpec.slowdown), and the reported end includes that hold.
   */
  Result run(Assignment task, double slowdown) throws InterruptedException {
    Path dir = SafeFiles.workerDirectory(tasksDir.resolve(task.line() + "-" + task.attempt()), user.name(),
        "rwx------");
    List<String> command = new ArrayList<>(user.commandPrefix());
    command.addAll(List.of(Binaries.find("sh").toString(), "-c", task.command()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", dir.toString());
    env.put("TMPDIR", dir.toString());
    env.put("LANG", "C.UTF-8");
    env.put("CONPAAS_TASK_LINE", Integer.toString(task.line()));
    env.put("CONPAAS_TASK_ATTEMPT", Integer.toString(task.attempt()));
    Path fs = fileSystem;
    if (fs != null) {
      env.put("CONPAAS_FS", fs.toString());
    }
    long started = System.currentTimeMillis();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(task.line(), task.attempt(), 127, started, System.currentTimeMillis(),
          "cannot start the task: " + e.getMessage());
    }
    Tail tail = new Tail(p.getInputStream());
    Thread reader = new Thread(tail, "taskfarm-output");
    reader.setDaemon(true);
    reader.start();
    int exit;
    if (p.waitFor(Math.max(1, task.timeoutSeconds()), TimeUnit.SECONDS)) {
      exit = p.exitValue();
    } else {
      killTree(p);
      exit = -1;
    }
    reader.join(2000);
    long ended = System.currentTimeMillis();
    if (slowdown > 1.0) {
      long hold = (long) ((slowdown - 1.0) * (ended - started));
      Thread.sleep(hold);
      ended += hold;
    }
    String out = tail.text() + (exit == -1 ? "\n[killed after " + task.timeoutSeconds() + " s]" : "");
    return new Result(task.line(), task.attempt(), exit, started, ended, out);
  }

  private static void killTree(Process p) throws InterruptedException {
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(5, TimeUnit.SECONDS);
  }

  /** Reads a stream to its end, keeping its last bytes. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final byte[] ring = new byte[TaskFarmKeys.TAIL_BYTES];
    private long total;

    Tail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (total++ % ring.length)] = buf[i];
            }
          }
        }
      } catch (IOException e) {
        // The process was killed: what was read stays.
      }
    }

    synchronized String text() {
      int size = (int) Math.min(total, ring.length);
      byte[] out = new byte[size];
      long from = total - size;
      for (int i = 0; i < size; i++) {
        out[i] = ring[(int) ((from + i) % ring.length)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
