package io.conpaas.reconcilers.agentclient;

/**
 * The agent answered, with an HTTP error: it is reachable and alive, so this is not silence
 * (a rejected configuration must not get its VM replaced as if it were dead).
 */
public final class AgentAnsweredError extends AgentCallException {
  /** Longest part of the agent's answer kept in the message (it ends up in status and events). */
  static final int MAX_BODY_IN_MESSAGE = 1024;

  private final int status;

  public AgentAnsweredError(String call, int status, String body) {
    super(call + " answered " + status + ": " + shorten(body), null);
    this.status = status;
  }

  public int status() {
    return status;
  }

  private static String shorten(String body) {
    String b = body == null ? "" : body.strip();
    return b.length() <= MAX_BODY_IN_MESSAGE ? b : b.substring(0, MAX_BODY_IN_MESSAGE) + "... ("
        + (b.length() - MAX_BODY_IN_MESSAGE) + " more characters)";
  }
}
