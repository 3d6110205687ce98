package io.conpaas.agent.api;

/** The HTTPS endpoints every agent serves. */
public final class AgentPaths {
  /** ConPaaS check_agent_process: answers 200 while the agent is alive. */
  public static final String HEALTH = "/health";
  /** Role, state, version and the hash of the configuration the agent runs. */
  public static final String INFO = "/info";
  /** PUT the role's configuration (a JSON object of strings). */
  public static final String CONFIG = "/config";
  /** The helloworld role's get_helloworld. */
  public static final String HELLOWORLD = "/helloworld";

  private AgentPaths() {}
}
