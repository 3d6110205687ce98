package io.conpaas.agent;

import io.conpaas.agent.roles.HelloWorldRole;
import java.util.Map;
import java.util.function.Supplier;

/** Maps (service kind, role) to the plugin that implements it. */
public final class RoleRegistry {
  private final Map<String, Supplier<RolePlugin>> plugins;

  public RoleRegistry(Map<String, Supplier<RolePlugin>> plugins) {
    this.plugins = Map.copyOf(plugins);
  }

  /** The roles this build of the agent knows. */
  public static RoleRegistry builtIn() {
    return new RoleRegistry(Map.of("HelloWorldService/agents", HelloWorldRole::new));
  }

  /** A new plugin for the role, or an IllegalArgumentException naming what is unknown. */
  public RolePlugin create(String serviceKind, String role) {
    Supplier<RolePlugin> supplier = plugins.get(serviceKind + "/" + role);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown role " + role + " of service kind " + serviceKind
          + "; known: " + plugins.keySet());
    }
    return supplier.get();
  }
}
