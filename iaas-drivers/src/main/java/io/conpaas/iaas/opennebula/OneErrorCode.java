package io.conpaas.iaas.opennebula;

import java.util.Arrays;
import java.util.Optional;

/** OpenNebula's XML-RPC error codes, each with the condition reason and retry advice it maps to. */
public enum OneErrorCode {
  AUTHENTICATION(0x0100, "AuthFailure", false),
  AUTHORIZATION(0x0200, "Unauthorized", false),
  NO_EXISTS(0x0400, "NotFound", false),
  // Wrong state for the action: VM states move on by themselves, so a later try may succeed.
  ACTION(0x0800, "ActionFailed", true),
  // Wrong parameters: a driver/server version mismatch that no retry fixes.
  XML_RPC_API(0x1000, "ApiMismatch", false),
  INTERNAL(0x2000, "InternalError", true),
  // Quotas, exhausted address ranges, bad templates: need someone to change something.
  ALLOCATE(0x4000, "AllocateFailed", false),
  LOCKED(0x8000, "Locked", true);

  private final int code;
  private final String reason;
  private final boolean retryable;

  OneErrorCode(int code, String reason, boolean retryable) {
    this.code = code;
    this.reason = reason;
    this.retryable = retryable;
  }

  public int code() { return code; }

  public String reason() { return reason; }

  public boolean retryable() { return retryable; }

  public static Optional<OneErrorCode> of(int code) {
    return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
  }
}
