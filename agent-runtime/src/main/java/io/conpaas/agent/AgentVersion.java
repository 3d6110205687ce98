package io.conpaas.agent;

/** The version the agent reports at /info. */
public final class AgentVersion {
  public static final String VERSION = "0.1.0";

  private AgentVersion() {}
}
