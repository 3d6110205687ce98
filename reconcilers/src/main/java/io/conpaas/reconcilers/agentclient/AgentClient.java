package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.AgentInfo;
import java.util.Map;

/**
 * How the operator drives an agent: over HTTPS with its client certificate, the agent's
 * certificate pinned to the expected {@link AgentIdentity} (namespace, name and UID).
 */
public interface AgentClient {
  /** True when the agent at endpoint (host:port), presenting the agent's certificate, is alive. */
  boolean healthy(String endpoint, AgentIdentity agent);

  /** What the agent says about itself. */
  AgentInfo info(String endpoint, AgentIdentity agent);

  /** Pushes the role configuration; returns the agent's info after applying it. */
  AgentInfo configure(String endpoint, AgentIdentity agent, Map<String, String> config);

  /**
   * Streams a code version's archive to a web or backend agent (PUT /code/versions/&lt;v&gt;). An
   * agent that has it already counts as success; a refusal is an AgentCallException with its message.
   */
  void uploadCode(String endpoint, AgentIdentity agent, String version, java.nio.file.Path archive);

  /** Sends credentials (PUT /mysql/credentials) over mutual TLS; returns the agent's info after applying them. */
  AgentInfo putCredentials(String endpoint, AgentIdentity agent,
      io.conpaas.agent.api.MysqlRoleKeys.Credentials credentials);

  /**
   * Tells the role its VM is about to be released (POST /leave), e.g. a slave stops replicating.
   * Returns false while the role is still leaving (answer state LEAVING: a key-value node moving
   * its entries); the caller asks again later and keeps the VM meanwhile.
   */
  boolean leave(String endpoint, AgentIdentity agent);

  /**
   * Streams a body to an agent path (PUT) and returns the agent's answer as is (status and body),
   * also when it is an error: for relaying e.g. a dump's outcome to the uploader.
   */
  Answer stream(String endpoint, AgentIdentity agent, String path, java.io.InputStream body, long length);

  /** An agent's HTTP answer. */
  record Answer(int status, String body) {}

  /**
   * Pushes the agent its VPN address and peer list (PUT /vpn); returns the agent's info after
   * applying it, whose facts carry its WireGuard public key.
   */
  default AgentInfo putVpn(String endpoint, AgentIdentity agent, io.conpaas.agent.api.VpnConfig config) {
    throw new UnsupportedOperationException("this client cannot push VPN configuration");
  }

  /** GET of any agent path, returning the body (used for role calls like get_helloworld). */
  String get(String endpoint, AgentIdentity agent, String path);
}
