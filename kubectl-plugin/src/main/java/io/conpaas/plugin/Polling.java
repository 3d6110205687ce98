package io.conpaas.plugin;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waiting for the API server to show something: a check polled with a pause that grows to one second. */
final class Polling {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

  private Polling() {}

  /**
   * Runs {@code check} until it answers a value, which is returned; once {@code timeout} has passed
   * without one, throws what {@code timedOut} gives (checked once more at the deadline).
   */
  static <T> T until(Duration timeout, Supplier<Optional<T>> check, Supplier<? extends RuntimeException> timedOut)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_PAUSE;
    while (true) {
      Optional<T> value = check.get();
      if (value.isPresent()) {
        return value.get();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timedOut.get();
      }
      Thread.sleep(Math.min(pause.toMillis(), Duration.ofNanos(left).toMillis() + 1));
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }
}
