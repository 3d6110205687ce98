package io.conpaas.agent;

import com.sun.net.httpserver.HttpHandler;
import java.util.Map;

/** What one service role adds to the agent: how it applies configuration and what it serves. */
public interface RolePlugin {
  /** The role's name as used in Agent.spec.role. */
  String name();

  /** Applies the role's configuration; throws IllegalArgumentException naming a bad key. */
  void configure(Map<String, String> config);

  /** Extra endpoints by path, served behind the same mutual TLS as the common ones. */
  Map<String, HttpHandler> endpoints();

  /** Releases what the role started (processes, files). */
  default void stop() {}
}
