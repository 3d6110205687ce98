package io.conpaas.agent.api;

import java.util.Map;

/**
 * What an agent says about itself at {@link AgentPaths#INFO}. {@code facts} are what its role
 * reports about itself, e.g. {@code port} (the HTTP port of a web role's server), {@code
 * sessionPort} (a PHP proxy's session store) or {@code activeVersion}; never null.
 */
public record AgentInfo(String agentName, String role, String state, String version,
    String configHash, Map<String, String> facts) {

  public AgentInfo {
    facts = facts == null ? Map.of() : Map.copyOf(facts);
  }

  /** An answer without facts (roles that report none, and older agents). */
  public AgentInfo(String agentName, String role, String state, String version, String configHash) {
    this(agentName, role, state, version, configHash, Map.of());
  }
}
