package io.conpaas.agent.mysql;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the MySQL master and slaves share: their own mariadbd, the config keys {@code port} (0 or
 * absent: pick one and keep it) and {@code serverId} (absent: the one used before, else the role's
 * default), the credentials the operator PUTs, GET {@link AgentPaths#MYSQL_STATUS} and the facts
 * {@code port} and {@code credentialsVersion}. Other keys (e.g. credentialsVersion) are ignored.
 */
abstract class MysqlRole implements RolePlugin {
  static final String PORT = MysqlRoleKeys.PORT;
  static final String SERVER_ID = MysqlRoleKeys.SERVER_ID;
  private static final int MAX_CREDENTIALS_BYTES = 4096;

  private final String name;
  private Supplier<AgentInfo> info;
  protected RoleContext context;
  protected Path roleDir;
  protected Path privateDir;
  protected MariaDbServer server;
  protected CredentialStore credentials;
  protected volatile int port;
  protected volatile int serverId;

  MysqlRole(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void agentInfo(Supplier<AgentInfo> info) {
    this.info = info;
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = context.roleDir(name);
    this.server = new MariaDbServer(roleDir);
    this.privateDir = PrivateFiles.directory(roleDir.resolve("private"));
    this.credentials = new CredentialStore(privateDir.resolve("credentials.json"));
  }

  /** Whether this role's server writes binary logs for slaves (else it is a read-only slave). */
  protected abstract boolean master();

  /** The server_id when the configuration names none and none was used before. */
  protected abstract int defaultServerId();

  @Override
  public synchronized void configure(Map<String, String> config) {
    int newPort = RoleConfig.port(config, PORT, roleDir.resolve("port"), context.bindAddress());
    int newServerId = serverId(config);
    validate(config);
    server.apply(new MariaDbServer.Settings(context.bindAddress(), newPort, newServerId, master()));
    port = newPort;
    serverId = newServerId;
    RoleConfig.writeAtomically(roleDir.resolve("server-id"), newServerId + "\n");
    afterStart(config);
  }

  /** Checks the role's own keys before anything changes (IllegalArgumentException naming the key). */
  protected void validate(Map<String, String> config) {}

  /** Runs once the server runs with the new settings. */
  protected void afterStart(Map<String, String> config) {}

  /** Applies PUT credentials (validated); the role reports their version once they are in force. */
  protected abstract void applyCredentials(Credentials c);

  /** The role's part of GET /mysql/status. */
  protected abstract Map<String, Object> status();

  private int serverId(Map<String, String> config) {
    Path kept = roleDir.resolve("server-id");
    int fallback = defaultServerId();
    try {
      if (Files.isRegularFile(kept)) {
        fallback = Integer.parseInt(Files.readString(kept, StandardCharsets.US_ASCII).trim());
      }
    } catch (IOException | NumberFormatException e) {
      // A damaged file: the role's default until the operator names one.
    }
    return RoleConfig.integer(config, SERVER_ID, fallback, 1, Integer.MAX_VALUE);
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    Map<String, HttpHandler> handlers = new HashMap<>();
    handlers.put(AgentPaths.MYSQL_CREDENTIALS, this::putCredentials);
    handlers.put(AgentPaths.MYSQL_STATUS, ex -> {
      if (!"GET".equals(ex.getRequestMethod())) {
        JsonExchange.error(ex, 405, "use GET");
        return;
      }
      JsonExchange.respond(ex, 200, status());
    });
    return handlers;
  }

  private void putCredentials(HttpExchange ex) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      // Never GET: passwords only go in.
      JsonExchange.error(ex, 405, "use PUT");
      return;
    }
    Credentials c;
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_CREDENTIALS_BYTES + 1);
      if (body.length > MAX_CREDENTIALS_BYTES) {
        JsonExchange.error(ex, 413, "credentials larger than " + MAX_CREDENTIALS_BYTES + " bytes");
        return;
      }
      c = AgentJson.mapper().readValue(body, Credentials.class);
    } catch (IOException e) {
      // The parser's message is not echoed: it can quote the body, i.e. a password.
      JsonExchange.error(ex, 400, "body must be JSON {\"password\", \"replicationPassword\", \"version\"}");
      return;
    }
    try {
      CredentialStore.validate(c);
    } catch (IllegalArgumentException e) {
      JsonExchange.error(ex, 400, e.getMessage());
      return;
    }
    synchronized (this) {
      applyCredentials(c);
    }
    JsonExchange.respond(ex, 200, info != null ? info.get() : facts());
  }

  /** port and credentialsVersion; the roles add their replication facts. */
  protected Map<String, String> commonFacts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(PORT, Integer.toString(port));
    credentials.version().ifPresent(v -> facts.put(MysqlRoleKeys.CREDENTIALS_VERSION, v));
    return facts;
  }

  /** What /mysql/status shows of every server. */
  protected Map<String, Object> commonStatus(String role) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("role", role);
    s.put(PORT, port);
    s.put(SERVER_ID, serverId);
    s.put("running", server.running());
    s.put(MysqlRoleKeys.CREDENTIALS_VERSION, credentials.version().orElse(null));
    return s;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
