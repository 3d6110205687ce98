package io.conpaas.agent.process;

/**
 * The host or the agent's settings cannot run this role (a directory the server account cannot
 * reach, a missing program, a role refused without isolation): the agent exits at start with
 * EX_CONFIG, since a restart or a new VM on the same host would meet the same error.
 */
public class UnusableSetupException extends IllegalStateException {
  public UnusableSetupException(String message) {
    super(message);
  }
}
