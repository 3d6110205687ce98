package io.conpaas.iaas.opennebula;

import io.conpaas.iaas.CloudException;

/**
 * OpenNebula answered a call with an error (success=false) or the XML-RPC layer answered with a
 * fault. The message holds the method and the server's text, never the session string.
 */
public final class OneCallException extends CloudException {
  /** xmlrpc-c's fault code for a method the server does not know. */
  static final int FAULT_NO_SUCH_METHOD = -506;

  private final String method;
  private final int errorCode;
  private final boolean fault;

  private OneCallException(String reason, String message, boolean retryable, String method, int errorCode,
      boolean fault) {
    super(reason, message, retryable);
    this.method = method;
    this.errorCode = errorCode;
    this.fault = fault;
  }

  /** An answer [false, message, errorCode, ...] from OpenNebula itself. */
  static OneCallException failure(String method, int errorCode, String serverMessage) {
    return OneErrorCode.of(errorCode)
        .map(c -> new OneCallException(c.reason(), method + " failed: " + serverMessage, c.retryable(), method,
            errorCode, false))
        .orElseGet(() -> new OneCallException("CloudError", method + " failed with error code " + errorCode + ": "
            + serverMessage, false, method, errorCode, false));
  }

  /** An XML-RPC fault: the server could not even dispatch the call (unknown method, bad types). */
  static OneCallException fault(String method, int faultCode, String faultString) {
    String reason = faultCode == FAULT_NO_SUCH_METHOD ? "MethodNotFound" : "XmlRpcFault";
    return new OneCallException(reason, method + ": XML-RPC fault " + faultCode + ": " + faultString, false, method,
        faultCode, true);
  }

  public String method() { return method; }

  /** OpenNebula's error code, or the XML-RPC fault code when {@link #fault()}. */
  public int errorCode() { return errorCode; }

  public boolean fault() { return fault; }

  public boolean is(OneErrorCode code) {
    return !fault && errorCode == code.code();
  }

  /** The server does not have this method (an older or newer OpenNebula). */
  public boolean methodMissing() {
    return fault && errorCode == FAULT_NO_SUCH_METHOD;
  }
}
