package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.AgentInfo;
import java.util.Map;

/** How the operator drives an agent: over HTTPS with its client certificate. */
public interface AgentClient {
  /** True when the agent at endpoint (host:port), presenting agentName's certificate, is alive. */
  boolean healthy(String endpoint, String agentName);

  /** What the agent says about itself. */
  AgentInfo info(String endpoint, String agentName);

  /** Pushes the role configuration; returns the agent's info after applying it. */
  AgentInfo configure(String endpoint, String agentName, Map<String, String> config);

  /**
   * Streams a code version's archive to a web or backend agent (PUT /code/versions/&lt;v&gt;). An
   * agent that has it already counts as success; a refusal is an AgentCallException with its message.
   */
  void uploadCode(String endpoint, String agentName, String version, java.nio.file.Path archive);

  /** GET of any agent path, returning the body (used for role calls like get_helloworld). */
  String get(String endpoint, String agentName, String path);
}
