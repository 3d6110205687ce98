package io.conpaas.reconcilers.credits;

import java.time.Duration;

/**
 * credits.enforce (a namespace without a CreditAccount may not start VMs) and credits.resync (how
 * often usage is recounted at most; it is also recounted when a VM's next hour starts and when
 * Agents change).
 */
public record CreditSettings(boolean enforce, Duration resync) {
  public CreditSettings {
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("credits.resync must be positive, got " + resync);
    }
  }

  /** Off, recounted every minute. */
  public static CreditSettings defaults() {
    return new CreditSettings(false, Duration.ofMinutes(1));
  }

  public CreditGate gate() {
    return new CreditGate(enforce);
  }
}
