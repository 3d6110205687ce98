package io.conpaas.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.tls.AgentTlsIdentity;
import io.conpaas.agent.tls.BootstrapEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The agent's HTTPS server. TLS requires a client certificate signed by the operator's CA, and
 * every handler also checks that the caller is the operator, so one agent cannot drive another.
 */
public final class AgentServer implements AutoCloseable {
  /** CN of the certificate the operator calls agents with. */
  public static final String OPERATOR_CN = "conpaas-operator";

  private final AgentContext context;
  private final RolePlugin role;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private volatile String configHash;
  /** The agent's end of its application's VPN (idle until the operator pushes a configuration). */
  private final io.conpaas.agent.vpn.WireGuardVpn vpn =
      io.conpaas.agent.vpn.WireGuardVpn.fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());

  /** An agent whose role keeps its files in the process's working directory. */
  public AgentServer(AgentContext context, RolePlugin role, String bindAddress, int port)
      throws IOException {
    this(context, role, new RoleContext(context.agentName(), Path.of(""), bindAddress), port);
  }

  /** An agent whose role gets roleContext (work dir and bind address for the role's servers). */
  public AgentServer(AgentContext context, RolePlugin role, RoleContext roleContext, int port)
      throws IOException {
    this.context = context;
    this.role = role;
    this.configHash = ConfigHash.of(context.config());
    role.agentInfo(this::info);
    role.init(roleContext);
    try {
      try {
        role.configure(context.config());
      } catch (IllegalArgumentException e) {
        // The boot configuration can name what a new VM lacks yet (e.g. a code version the
        // operator uploads once the agent answers): start with defaults and report the hash of
        // the empty configuration, so the operator pushes the configuration again.
        System.err.println("boot configuration not applied (" + e.getMessage() + "); starting with defaults");
        role.configure(Map.of());
        this.configHash = ConfigHash.of(Map.of());
      }
      server = createServer(context, roleContext, port);
    } catch (IOException | RuntimeException e) {
      // The role may already run servers; an agent that cannot start must not leave them behind.
      role.stop();
      executor.shutdownNow();
      throw e;
    }
  }

  private HttpsServer createServer(AgentContext context, RoleContext roleContext, int port) throws IOException {
    // Until the operator's CA signs the agent's own key, the server presents a placeholder that no
    // one trusts: the operator reads the bootstrap claim over it, then installs the real certificate.
    // Kept in the agent's own directory (root's on a local Cloud run as root), never the role's.
    AgentTlsIdentity identity = AgentTlsIdentity.forContext(context, roleContext.workDir().resolve("tls"));
    SSLContext tls = identity.serverContext();
    HttpsServer server = HttpsServer.create(new InetSocketAddress(roleContext.bindAddress(), port), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = tls.getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    AgentRoutes.of(role, new BootstrapEndpoint(identity, context.bootstrapToken()), this::handleVpn, this::info,
        config -> configHash = ConfigHash.of(config))
        .forEach((path, handler) -> server.createContext(path, AgentRoutes.operatorOnly(handler)));
    server.setExecutor(executor);
    return server;
  }

  /** Starts serving and returns the bound port. */
  public int start() {
    server.start();
    return server.getAddress().getPort();
  }

  private AgentInfo info() {
    Map<String, String> facts = new java.util.TreeMap<>(role.facts());
    facts.putAll(vpn.facts());
    return new AgentInfo(context.agentName(), role.name(), "RUNNING", AgentVersion.VERSION, configHash, facts);
  }

  private void handleVpn(HttpExchange exchange) throws IOException {
    if (!"PUT".equals(exchange.getRequestMethod())) {
      JsonExchange.error(exchange, 405, "use PUT");
      return;
    }
    io.conpaas.agent.api.VpnConfig config;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(AgentRoutes.MAX_CONFIG_BYTES + 1);
      if (body.length > AgentRoutes.MAX_CONFIG_BYTES) {
        JsonExchange.error(exchange, 413, "VPN configuration larger than " + AgentRoutes.MAX_CONFIG_BYTES
            + " bytes");
        return;
      }
      config = AgentJson.mapper().readValue(body, io.conpaas.agent.api.VpnConfig.class);
    } catch (IOException e) {
      JsonExchange.error(exchange, 400, "not a VPN configuration: " + e.getMessage());
      return;
    }
    try {
      vpn.apply(config);
    } catch (IllegalArgumentException e) {
      JsonExchange.error(exchange, 422, e.getMessage());
      return;
    }
    JsonExchange.respond(exchange, 200, info());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    role.stop();
    vpn.close();
  }
}
