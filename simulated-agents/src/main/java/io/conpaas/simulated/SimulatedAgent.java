package io.conpaas.simulated;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.AgentServer;
import io.conpaas.agent.AgentVersion;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.api.VpnConfig;
import io.conpaas.agent.tls.AgentTlsIdentity;
import io.conpaas.agent.tls.BootstrapEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One simulated VM's agent: its own key and certificate (the agent's AgentTlsIdentity, kept in the
 * VM's directory, bootstrapped by the operator exactly as on a VM), its role, and the agent's
 * endpoints. Only the operator's client certificate gets an answer, as from AgentServer.
 */
final class SimulatedAgent {
  private static final int MAX_CONFIG_BYTES = 1 << 20;

  private final String instanceId;
  private final AgentContext context;
  private final AgentTlsIdentity identity;
  private final SSLContext tls;
  private final RolePlugin role;
  private final Instant bootAt;
  private final Map<String, HttpHandler> handlers = new TreeMap<>();
  private volatile String configHash;
  /** The configuration the agent last applied, on the VM's disk. */
  private static final String APPLIED_CONFIG = "applied-config.json";
  private final Path appliedConfig;

  SimulatedAgent(String instanceId, byte[] contextJson, Path vmDir, Instant bootAt) throws IOException {
    this.instanceId = instanceId;
    this.context = AgentJson.mapper().readValue(contextJson, AgentContext.class);
    this.identity = AgentTlsIdentity.forContext(context, vmDir.resolve("tls"));
    this.tls = identity.serverContext();
    // One connection per call, no resumption: do not let the session cache grow per agent.
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
    handlers.put(AgentPaths.HEALTH, ex -> JsonExchange.respond(ex, 200, Map.of("status", "ok")));
    handlers.put(AgentPaths.INFO, ex -> JsonExchange.respond(ex, 200, info()));
    handlers.put(AgentPaths.CONFIG, this::handleConfig);
    handlers.put(AgentPaths.LEAVE, this::handleLeave);
    handlers.put(AgentPaths.BOOTSTRAP, new BootstrapEndpoint(identity, context.bootstrapToken()));
    // No overlay network in a simulation: the configuration is acknowledged like any other.
    handlers.put(VpnConfig.PATH, ex -> {
      ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
      JsonExchange.respond(ex, 200, info());
    });
    handlers.putAll(role.endpoints());
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
    try {
      if (!callerIsOperator((com.sun.net.httpserver.HttpsExchange) exchange)) {
        JsonExchange.error(exchange, 403, "only the operator may call this agent");
        return;
      }
      HttpHandler handler = route(exchange.getRequestURI().getPath());
      if (handler == null) {
        JsonExchange.error(exchange, 404, "no such path");
        return;
      }
      handler.handle(exchange);
    } catch (RuntimeException e) {
      JsonExchange.error(exchange, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      exchange.close();
    }
  }

  private HttpHandler route(String path) {
    HttpHandler best = null;
    int bestLength = -1;
    for (Map.Entry<String, HttpHandler> e : handlers.entrySet()) {
      String p = e.getKey();
      if (path.startsWith(p) && p.length() > bestLength) {
        best = e.getValue();
        bestLength = p.length();
      }
    }
    return best;
  }

  void stop() {
    role.stop();
  }

  private AgentInfo info() {
    return new AgentInfo(context.agentName(), role.name(), "RUNNING", AgentVersion.VERSION, configHash,
        new TreeMap<>(role.facts()));
  }

  private void handleConfig(HttpExchange exchange) throws IOException {
    if (!"PUT".equals(exchange.getRequestMethod())) {
      JsonExchange.error(exchange, 405, "use PUT");
      return;
    }
    Map<String, String> config;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_CONFIG_BYTES + 1);
      if (body.length > MAX_CONFIG_BYTES) {
        JsonExchange.error(exchange, 413, "configuration larger than " + MAX_CONFIG_BYTES + " bytes");
        return;
      }
      config = AgentJson.mapper().readValue(body, new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      JsonExchange.error(exchange, 400, "configuration is not a JSON object of strings: " + e.getMessage());
      return;
    }
    try {
      role.configure(config);
    } catch (IllegalArgumentException e) {
      JsonExchange.error(exchange, 422, e.getMessage());
      return;
    }
    keepApplied(config);
    configHash = ConfigHash.of(config);
    JsonExchange.respond(exchange, 200, info());
  }

  /** Written (then renamed into place) before the answer: an applied configuration survives the process. */
  private synchronized void keepApplied(Map<String, String> config) throws IOException {
    Path tmp = appliedConfig.resolveSibling(APPLIED_CONFIG + ".tmp");
    java.nio.file.Files.write(tmp, AgentJson.mapper().writeValueAsBytes(config));
    java.nio.file.Files.move(tmp, appliedConfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private java.util.Optional<Map<String, String>> readApplied() {
    try {
      if (!java.nio.file.Files.isRegularFile(appliedConfig)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(AgentJson.mapper().readValue(java.nio.file.Files.readAllBytes(appliedConfig),
          new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private void handleLeave(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      JsonExchange.error(exchange, 405, "use POST");
      return;
    }
    exchange.getRequestBody().close();
    role.leave();
    AgentInfo info = info();
    JsonExchange.respond(exchange, 200, role.hasLeft() ? info : new AgentInfo(info.agentName(), info.role(),
        AgentPaths.STATE_LEAVING, info.version(), info.configHash(), info.facts()));
  }

  private static boolean callerIsOperator(com.sun.net.httpserver.HttpsExchange exchange) {
    try {
      Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate cert
          && AgentServer.OPERATOR_CN.equals(MutualTls.commonName(cert));
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }
}
