package io.conpaas.reconcilers.code;

/** spec.code.source could not be fetched or was refused; the message says why, for the service's status. */
public final class CodeFetchFailed extends RuntimeException {
  public CodeFetchFailed(String message) {
    super(message);
  }
}
