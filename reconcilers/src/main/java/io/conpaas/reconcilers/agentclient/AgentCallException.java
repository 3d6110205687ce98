package io.conpaas.reconcilers.agentclient;

/** An agent call failed (unreachable, refused, or answered with an error). */
public class AgentCallException extends RuntimeException {
  public AgentCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
