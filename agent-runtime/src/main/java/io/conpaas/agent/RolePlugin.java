package io.conpaas.agent;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.api.AgentInfo;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one service role adds to the agent. Lifecycle: {@link #init} once, then {@link #configure}
 * at start and on every PUT /config, {@link #leave} before the operator releases the VM, then
 * {@link #stop} when the agent stops.
 */
public interface RolePlugin {
  /** The role's name as used in Agent.spec.role. */
  String name();

  /** Called once before init with what GET /info answers, for role endpoints that answer it too. */
  default void agentInfo(Supplier<AgentInfo> info) {}

  /** Called once before the first configure; roles that start servers remember the context. */
  default void init(RoleContext context) {}

  /**
   * Applies the role's configuration; throws IllegalArgumentException naming a bad key (the
   * previous configuration then stays in force). Servers start on the first call.
   */
  void configure(Map<String, String> config);

  /** Extra endpoints by path, served behind the same mutual TLS as the common ones. */
  Map<String, HttpHandler> endpoints();

  /** What the operator must know about the running role (e.g. {@code port}); shown at /info. */
  default Map<String, String> facts() {
    return Map.of();
  }

  /**
   * POST /leave: the operator is about to release the VM; let go of what others rely on (a MySQL
   * slave stops replicating). The role keeps serving until {@link #stop}.
   */
  default void leave() {}

  /**
   * Whether the role has finished leaving; false makes POST /leave answer state LEAVING so the
   * operator keeps the VM and asks again (a key-value node migrating its partitions).
   */
  default boolean hasLeft() {
    return true;
  }

  /** Releases what the role started (processes, files). */
  default void stop() {}
}
