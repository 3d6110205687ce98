package io.conpaas.operator.testing;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Pauses processes with SIGSTOP (an agent that hangs: its port still accepts connections but
 * nothing answers) and resumes them; closing resumes every process still paused, so a failed test
 * never leaves one stopped.
 */
public final class PausedProcesses implements AutoCloseable {
  private final Set<Long> paused = new LinkedHashSet<>();

  public synchronized void pause(long pid) {
    if (!signal("STOP", pid)) {
      throw new IllegalStateException("kill -STOP " + pid + " failed");
    }
    paused.add(pid);
  }

  /** Resumes the process (a process that is gone meanwhile needs nothing). */
  public synchronized void resume(long pid) {
    signal("CONT", pid);
    paused.remove(pid);
  }

  @Override
  public synchronized void close() {
    for (long pid : Set.copyOf(paused)) {
      resume(pid);
    }
  }

  private static boolean signal(String signal, long pid) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
