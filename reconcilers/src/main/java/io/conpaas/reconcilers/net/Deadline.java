package io.conpaas.reconcilers.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A total time limit for a network exchange. Connect and read timeouts bound each step, but a
 * peer that trickles a byte now and then never trips them; {@link #abortAt} runs an abort (close
 * the socket, disconnect) when the whole exchange has taken too long.
 */
public final class Deadline {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "network-deadline");
    t.setDaemon(true);
    return t;
  });

  private final long endNanos;
  private final Duration total;

  private Deadline(Duration total) {
    this.total = total;
    this.endNanos = System.nanoTime() + total.toNanos();
  }

  public static Deadline after(Duration total) {
    return new Deadline(total);
  }

  public Duration total() {
    return total;
  }

  /** What is left (zero when expired). */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  public boolean expired() {
    return endNanos - System.nanoTime() <= 0;
  }

  /** Milliseconds for a socket timeout: at most cap, at most what is left, at least 1. */
  public int millisUpTo(Duration cap) {
    return (int) Math.max(1, Math.min(cap.toMillis(), remaining().toMillis()));
  }

  /** Runs abort when the deadline passes, unless the returned handle is closed first. */
  public Armed abortAt(Runnable abort) {
    ScheduledFuture<?> f = TIMER.schedule(() -> {
      try {
        abort.run();
      } catch (RuntimeException ignored) {
        // Aborting is best effort: the exchange fails either way.
      }
    }, Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** A scheduled abort; close it when the exchange ended in time. */
  public interface Armed extends AutoCloseable {
    @Override
    void close();
  }
}
