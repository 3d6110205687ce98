package io.conpaas.plugin;

/** A failure the user can act on: its message is printed as the one error line, without a stack trace. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message) {
    this(message, 1);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The process exit code for this failure (never 0). */
  public int exitCode() {
    return exitCode;
  }
}
