package io.conpaas.reconcilers.model;

import java.time.Duration;

/** Exponential retry delays: base after the first failure, doubling, never above cap. Pure. */
public final class RetryBackoff {
  private RetryBackoff() {}

  public static Duration after(int failures, Duration base, Duration cap) {
    if (failures <= 1) {
      return base.compareTo(cap) < 0 ? base : cap;
    }
    int doublings = Math.min(failures - 1, 30);
    Duration d = base.multipliedBy(1L << doublings);
    return d.compareTo(cap) < 0 ? d : cap;
  }
}
