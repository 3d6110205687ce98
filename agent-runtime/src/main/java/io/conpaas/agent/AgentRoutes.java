package io.conpaas.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.api.VpnConfig;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The agent protocol's request routing, shared by the real agent ({@link AgentServer}) and the
 * simulated Cloud's agents: which handler serves which path (health, info, config, leave, bootstrap,
 * VPN, then the role's own), how config and leave are answered, and that only the operator's client
 * certificate gets an answer at all.
 */
public final class AgentRoutes {
  static final int MAX_CONFIG_BYTES = 1 << 20;

  private AgentRoutes() {}

  /**
   * Path → handler (not yet operator-only: see {@link #operatorOnly}). info gives /info's answer;
   * configured receives each configuration the role accepted, before the answer is sent.
   */
  public static Map<String, HttpHandler> of(RolePlugin role, HttpHandler bootstrap, HttpHandler vpn,
      Supplier<AgentInfo> info, Consumer<Map<String, String>> configured) {
    Map<String, HttpHandler> routes = new TreeMap<>();
    routes.put(AgentPaths.HEALTH, ex -> JsonExchange.respond(ex, 200, Map.of("status", "ok")));
    routes.put(AgentPaths.INFO, ex -> JsonExchange.respond(ex, 200, info.get()));
    routes.put(AgentPaths.CONFIG, ex -> configure(ex, role, info, configured));
    routes.put(AgentPaths.LEAVE, ex -> leave(ex, role, info));
    routes.put(AgentPaths.BOOTSTRAP, bootstrap);
    routes.put(VpnConfig.PATH, vpn);
    routes.putAll(role.endpoints());
    return routes;
  }

  /** The handler of the longest path prefix of path among routes, or null (as HttpServer's contexts pick). */
  public static HttpHandler route(Map<String, HttpHandler> routes, String path) {
    HttpHandler best = null;
    int bestLength = -1;
    for (Map.Entry<String, HttpHandler> e : routes.entrySet()) {
      String p = e.getKey();
      if (path.startsWith(p) && p.length() > bestLength) {
        best = e.getValue();
        bestLength = p.length();
      }
    }
    return best;
  }

  /** handler for the operator only (403 for anyone else), a RuntimeException answered as 500, always closed. */
  public static HttpHandler operatorOnly(HttpHandler handler) {
    return exchange -> {
      // Closed in finally, not by try-with-resources: the 500 below must still be sendable.
      try {
        if (!callerIsOperator((HttpsExchange) exchange)) {
          JsonExchange.error(exchange, 403, "only the operator may call this agent");
          return;
        }
        handler.handle(exchange);
      } catch (RuntimeException e) {
        JsonExchange.error(exchange, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
      } finally {
        exchange.close();
      }
    };
  }

  private static boolean callerIsOperator(HttpsExchange exchange) {
    try {
      Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate cert
          && AgentServer.OPERATOR_CN.equals(MutualTls.commonName(cert));
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** PUT /config: a JSON object of strings (at most 1 MiB) for the role; answers /info. */
  private static void configure(HttpExchange exchange, RolePlugin role, Supplier<AgentInfo> info,
      Consumer<Map<String, String>> configured) throws IOException {
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
    configured.accept(config);
    JsonExchange.respond(exchange, 200, info.get());
  }

  /** POST /leave: the role lets go; state LEAVING until it has. */
  private static void leave(HttpExchange exchange, RolePlugin role, Supplier<AgentInfo> info) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      JsonExchange.error(exchange, 405, "use POST");
      return;
    }
    exchange.getRequestBody().close();
    role.leave();
    AgentInfo now = info.get();
    JsonExchange.respond(exchange, 200, role.hasLeft() ? now : new AgentInfo(now.agentName(), now.role(),
        AgentPaths.STATE_LEAVING, now.version(), now.configHash(), now.facts()));
  }
}
