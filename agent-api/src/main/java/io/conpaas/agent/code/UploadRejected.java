package io.conpaas.agent.code;

/** An upload or activation the agent refuses; the message names the problem for the user. */
public final class UploadRejected extends RuntimeException {
  private final int status;

  public UploadRejected(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with (400, 404, 409, 413 or 422). */
  public int status() {
    return status;
  }

  /** A hostile or broken archive (422). */
  static UploadRejected archive(String message) {
    return new UploadRejected(422, message);
  }
}
