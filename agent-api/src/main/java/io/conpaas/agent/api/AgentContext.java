package io.conpaas.agent.api;

import java.util.Map;

/**
 * The contextualization document a VM boots with (ConPaaS's agent config file): who the agent
 * is, the port it listens on, its TLS identity, and its role's first configuration.
 *
 * <p>It holds the agent's private key, so it is written only to the VM (user data, CONTEXT, or
 * a mode-600 file on the local cloud) and never to status, events or logs.
 */
public record AgentContext(
    String agentName,
    String namespace,
    String service,
    String serviceKind,
    String role,
    int port,
    String certificatePem,
    String privateKeyPem,
    String caCertificatePem,
    Map<String, String> config) {

  /** The port agents listen on when the context does not say (ConPaaS agents used 5555). */
  public static final int DEFAULT_PORT = 5555;

  public AgentContext {
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  @Override
  public String toString() {
    // Never print key material, even by accident in a log line.
    return "AgentContext[agent=" + agentName + ", role=" + role + ", port=" + port + "]";
  }
}
