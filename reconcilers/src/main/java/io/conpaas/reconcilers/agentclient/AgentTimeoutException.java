package io.conpaas.reconcilers.agentclient;

/** An agent accepted a call but did not answer in time: it is alive, only busy or slow. */
public class AgentTimeoutException extends AgentCallException {
  public AgentTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
