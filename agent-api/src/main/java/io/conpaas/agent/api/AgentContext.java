package io.conpaas.agent.api;

import java.util.Map;

/**
 * The contextualization document a VM boots with (ConPaaS's agent config file): who the agent
 * is, the port it listens on, the CA it trusts, a single-use bootstrap token, and its role's first
 * configuration.
 *
 * <p>It holds no private key: the agent makes its own on the VM and gets a certificate for it by
 * proving the token ({@link AgentPaths#BOOTSTRAP}). VMs launched by older operators carry
 * {@code certificatePem}/{@code privateKeyPem} instead, which agents still accept. The token is a
 * credential until used, so the document is written only to the VM (user data, CONTEXT, or a
 * mode-600 file on the local cloud) and never to status, events or logs.
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
    Map<String, String> config,
    String bootstrapToken) {

  /** The port agents listen on when the context does not say (ConPaaS agents used 5555). */
  public static final int DEFAULT_PORT = 5555;

  public AgentContext {
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  /** A context with a ready-made certificate and key (older operators; tests). */
  public AgentContext(String agentName, String namespace, String service, String serviceKind, String role, int port,
      String certificatePem, String privateKeyPem, String caCertificatePem, Map<String, String> config) {
    this(agentName, namespace, service, serviceKind, role, port, certificatePem, privateKeyPem, caCertificatePem,
        config, null);
  }

  /** Whether the agent must make its own key and ask for a certificate (no key came with the context). */
  public boolean bootstraps() {
    return privateKeyPem == null || privateKeyPem.isBlank();
  }

  @Override
  public String toString() {
    // Never print key material, even by accident in a log line.
    return "AgentContext[agent=" + agentName + ", role=" + role + ", port=" + port + "]";
  }
}
