package io.conpaas.simulated;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.agent.roles.HelloWorldRole;
import java.util.Map;

/**
 * The role a simulated agent plays: the agent's own helloworld role (it starts no server, so it runs
 * in-process as it is), or for roles that would start real servers (nginx, MariaDB, Grid...) a
 * stand-in that takes any configuration and reports the facts the operator waits for.
 */
final class SimulatedRoles {
  private SimulatedRoles() {}

  static RolePlugin forRole(String serviceKind, String role) {
    if ("HelloWorldService".equals(serviceKind)) {
      return new HelloWorldRole();
    }
    return new StandInRole(role);
  }

  /**
   * Accepts every configuration; reports port 80 (the web roles' fact) and, once configured with
   * one, the active code version (as a code role serving it does), and answers code uploads.
   */
  static final class StandInRole implements RolePlugin {
    private final String name;
    private volatile String activeVersion;

    StandInRole(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void configure(Map<String, String> config) {
      // Nothing runs: the configuration is only acknowledged (its hash is reported).
      activeVersion = config.get(WebRoleKeys.ACTIVE_VERSION);
    }

    @Override
    public Map<String, String> facts() {
      String active = activeVersion;
      return active == null || active.isBlank() ? Map.of("port", "80", "simulated", "true")
          : Map.of("port", "80", "simulated", "true", WebRoleKeys.ACTIVE_VERSION, active);
    }

    @Override
    public Map<String, HttpHandler> endpoints() {
      HttpHandler accept = exchange -> {
        exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
        JsonExchange.respond(exchange, 200, Map.of("simulated", true));
      };
      return Map.of("/code", accept, "/mysql", accept);
    }
  }
}
