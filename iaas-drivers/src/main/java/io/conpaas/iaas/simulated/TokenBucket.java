package io.conpaas.iaas.simulated;

import io.conpaas.iaas.CloudException;
import java.time.Clock;

/**
 * One API's request bucket as EC2 meters it: a call takes a token or is refused at once with
 * RequestLimitExceeded (retryable), never queued; tokens come back at a fixed rate up to the burst.
 */
final class TokenBucket {
  private final String api;
  private final ApiRate rate;
  private final Clock clock;
  private double tokens;
  private long refilledAtNanos;

  TokenBucket(String api, ApiRate rate, Clock clock) {
    this.api = api;
    this.rate = rate;
    this.clock = clock;
    this.tokens = rate.burst();
    this.refilledAtNanos = nanos();
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Takes one token or throws the throttling error EC2 answers. */
  synchronized void take() {
    long now = nanos();
    tokens = Math.min(rate.burst(), tokens + (now - refilledAtNanos) / 1e9 * rate.perSecond());
    refilledAtNanos = now;
    if (tokens < 1) {
      throw new CloudException("RequestLimitExceeded", "simulated " + api + " rate exceeded ("
          + rate.burst() + " burst, " + rate.perSecond() + "/s)", true);
    }
    tokens -= 1;
  }
}
