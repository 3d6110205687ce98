package io.conpaas.agent.api;

/** What an agent says about itself at {@link AgentPaths#INFO}. */
public record AgentInfo(String agentName, String role, String state, String version,
    String configHash) {
}
