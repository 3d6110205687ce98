package io.conpaas.iaas;

/**
 * A cloud call failed. reason is a short CamelCase word for status conditions; retryable says
 * whether the same call may succeed later (throttling, timeouts) or needs a user change.
 */
public class CloudException extends RuntimeException {
  /** Reasons that mean "slow down" (EC2's codes; HTTP 429 from any endpoint). */
  public static final java.util.Set<String> THROTTLE_REASONS = java.util.Set.of("RequestLimitExceeded", "Throttling",
      "ThrottlingException", "TooManyRequests", "TooManyRequestsException", "Http429");

  private final String reason;
  private final boolean retryable;

  public CloudException(String reason, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.retryable = retryable;
  }

  public CloudException(String reason, String message, boolean retryable) {
    this(reason, message, retryable, null);
  }

  public String reason() { return reason; }

  public boolean retryable() { return retryable; }

  /** The cloud asked us to slow down: the same call succeeds once its rate allows. */
  public boolean throttled() { return reason != null && THROTTLE_REASONS.contains(reason); }
}
