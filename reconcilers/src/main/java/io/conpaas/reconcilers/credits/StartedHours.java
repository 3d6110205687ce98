package io.conpaas.reconcilers.credits;

import java.time.Duration;
import java.time.Instant;

/** ConPaaS's price of a VM: every started hour of it costs one credit (a VM that started costs at least one). */
public final class StartedHours {
  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

  private StartedHours() {}

  /** Started hours from start to end; an end before the start (clock skew) still counts the first hour. */
  public static long between(Instant start, Instant end) {
    long millis = Duration.between(start, end).toMillis();
    if (millis <= 0) {
      return 1;
    }
    return (millis + HOUR_MILLIS - 1) / HOUR_MILLIS;
  }

  /** When the next hour of a VM that started at start and has been charged hours begins. */
  public static Instant nextHour(Instant start, long hours) {
    return start.plus(Duration.ofHours(Math.max(1, hours)));
  }
}
