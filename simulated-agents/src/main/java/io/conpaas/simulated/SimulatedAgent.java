package io.conpaas.simulated;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.AgentRoutes;
import io.conpaas.agent.AgentVersion;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.tls.AgentTlsIdentity;
import io.conpaas.agent.tls.BootstrapEndpoint;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * One simulated VM's agent: its own key and certificate (the agent's AgentTlsIdentity, kept in the
 * VM's directory, bootstrapped by the operator exactly as on a VM), its role, and the agent's
 * endpoints. Only the operator's client certificate gets an answer, as from AgentServer.
 */
final class SimulatedAgent {
  private final String instanceId;
  private final AgentContext context;
  private final AgentTlsIdentity identity;
  private final SSLContext tls;
  private final RolePlugin role;
  private final Instant bootAt;
  private final Map<String, HttpHandler> handlers;
  private volatile String configHash;
  /** The configuration the agent last applied, on the VM's disk. */
  private static final String APPLIED_CONFIG = "applied-config.json";
  private final Path appliedConfig;

  SimulatedAgent(String instanceId, byte[] contextJson, Path vmDir, Instant bootAt) throws IOException {
    this.instanceId = instanceId;
    this.context = AgentJson.mapper().readValue(contextJson, AgentContext.class);
    this.identity = AgentTlsIdentity.forContext(context, vmDir.resolve("tls"));
    this.tls = identity.serverContext();
    // One connection per call; the operator's later calls still resume the session (no certificate
    // checks: SimulatedAgentsTlsTest). One cached session per agent keeps the cache from growing.
    tls.getServerSessionContext().setSessionCacheSize(1);
    this.bootAt = bootAt;
    this.role = SimulatedRoles.forRole(context.serviceKind(), context.role());
    role.agentInfo(this::info);
    role.init(new RoleContext(context.agentName(), vmDir, "127.0.0.1"));
    this.appliedConfig = vmDir.resolve(APPLIED_CONFIG);
    // A VM's agent outlives the operator: served again after an operator restart, it has the
    // configuration it last applied (kept on its disk), not the one it booted with.
    Map<String, String> initial = readApplied().orElse(context.config());
    this.configHash = ConfigHash.of(initial);
    try {
      role.configure(initial);
    } catch (IllegalArgumentException e) {
      role.configure(Map.of());
      this.configHash = ConfigHash.of(Map.of());
    }
    // No overlay network in a simulation: the VPN configuration is acknowledged like any other.
    this.handlers = AgentRoutes.of(role, new BootstrapEndpoint(identity, context.bootstrapToken()), ex -> {
      ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
      JsonExchange.respond(ex, 200, info());
    }, this::info, this::applied);
  }

  String instanceId() {
    return instanceId;
  }

  SSLContext tls() {
    return tls;
  }

  boolean booted(Instant now) {
    return !now.isBefore(bootAt);
  }

  /** Serves exchange with the handler of the longest path prefix, for the operator only. */
  void handle(HttpExchange exchange) throws IOException {
    AgentRoutes.operatorOnly(ex -> {
      HttpHandler handler = AgentRoutes.route(handlers, ex.getRequestURI().getPath());
      if (handler == null) {
        JsonExchange.error(ex, 404, "no such path");
        return;
      }
      handler.handle(ex);
    }).handle(exchange);
  }

  void stop() {
    role.stop();
  }

  private AgentInfo info() {
    return new AgentInfo(context.agentName(), role.name(), "RUNNING", AgentVersion.VERSION, configHash,
        new TreeMap<>(role.facts()));
  }

  /** Kept on disk (written, then renamed into place) before the answer: it survives the process. */
  private synchronized void applied(Map<String, String> config) {
    try {
      Path tmp = appliedConfig.resolveSibling(APPLIED_CONFIG + ".tmp");
      Files.write(tmp, AgentJson.mapper().writeValueAsBytes(config));
      Files.move(tmp, appliedConfig, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the applied configuration", e);
    }
    configHash = ConfigHash.of(config);
  }

  private Optional<Map<String, String>> readApplied() {
    try {
      if (!Files.isRegularFile(appliedConfig)) {
        return Optional.empty();
      }
      return Optional.of(AgentJson.mapper().readValue(Files.readAllBytes(appliedConfig),
          new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
