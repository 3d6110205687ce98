package io.conpaas.iaas;

/**
 * A cloud call failed. reason is a short CamelCase word for status conditions; retryable says
 * whether the same call may succeed later (throttling, timeouts) or needs a user change.
 */
public class CloudException extends RuntimeException {
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
}
