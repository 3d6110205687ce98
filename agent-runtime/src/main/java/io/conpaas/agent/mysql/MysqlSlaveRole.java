package io.conpaas.agent.mysql;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import io.conpaas.agent.web.RoleConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A MySQL slave: a read-only mariadbd that replicates from {@code masterHost}:{@code masterPort}
 * (default 3306). Once credentials are present, configure seeds it from the master (once per
 * master) and returns only when both replication threads run; without them it serves, not
 * replicating. POST /leave detaches it. Facts: port, credentialsVersion, replicating,
 * secondsBehindMaster, gtidPosition (gtid_slave_pos).
 */
public final class MysqlSlaveRole extends MysqlRole {
  static final String MASTER_HOST = MysqlRoleKeys.MASTER_HOST;
  static final String MASTER_PORT = MysqlRoleKeys.MASTER_PORT;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,253}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45}");

  private Replication replication;
  private volatile Replication.Master master;

  public MysqlSlaveRole() {
    super("slaves");
  }

  @Override
  public void init(RoleContext context) {
    super.init(context);
    replication = new Replication(server, roleDir, privateDir);
  }

  @Override
  protected boolean master() {
    return false;
  }

  @Override
  protected int defaultServerId() {
    return 2;
  }

  @Override
  protected void validate(Map<String, String> config) {
    masterOf(config);
  }

  private static Optional<Replication.Master> masterOf(Map<String, String> config) {
    String host = config.getOrDefault(MASTER_HOST, "").trim();
    if (host.isEmpty()) {
      return Optional.empty();
    }
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(MASTER_HOST + ": \"" + host + "\" is not a host name or IP address");
    }
    return Optional.of(new Replication.Master(host, RoleConfig.integer(config, MASTER_PORT, 3306, 1, 65535)));
  }

  @Override
  protected void afterStart(Map<String, String> config) {
    Optional<Replication.Master> wanted = masterOf(config);
    // Without a master (e.g. the defaults an agent falls back to) replication is left as it is.
    if (wanted.isEmpty()) {
      return;
    }
    master = wanted.get();
    Optional<Credentials> c = credentials.current();
    if (c.isEmpty()) {
      // The operator pushes the credentials, then this configuration again.
      return;
    }
    try {
      replication.ensure(wanted.get(), c.get());
    } catch (IllegalStateException e) {
      // Named after the key: the master it names is not there (yet) to replicate from.
      throw new IllegalArgumentException(MASTER_HOST + ": cannot replicate from " + wanted.get().address() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  protected void applyCredentials(Credentials c) {
    // The users come from the master (the seed, then replication); this server only keeps the passwords.
    Optional<Credentials> before = credentials.current();
    credentials.save(c);
    if (before.isPresent() && !before.get().replicationPassword().equals(c.replicationPassword())
        && server.running()) {
      replication.changePassword(c.replicationPassword());
    }
  }

  @Override
  public synchronized void leave() {
    if (server.running()) {
      replication.detach();
    }
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    Map<String, HttpHandler> handlers = super.endpoints();
    handlers.put(AgentPaths.MYSQL_DUMP, ex -> JsonExchange.error(ex, 409,
        "a slave only replicates its master: upload dumps to the master"));
    return handlers;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = commonFacts();
    Optional<Replication.Status> s = currentStatus();
    facts.put(MysqlRoleKeys.REPLICATING, Boolean.toString(s.map(Replication.Status::replicating).orElse(false)));
    s.map(Replication.Status::secondsBehind).ifPresent(v -> facts.put(MysqlRoleKeys.SECONDS_BEHIND, v.toString()));
    // gtidPosition is in GET /mysql/status, not a fact: it changes with every write and facts are copied to status.
    return facts;
  }

  @Override
  protected Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>(commonStatus("slave"));
    Replication.Master m = master;
    out.put(MASTER_HOST, m == null ? null : m.host());
    out.put(MASTER_PORT, m == null ? null : m.port());
    Optional<Replication.Status> s = currentStatus();
    out.put(MysqlRoleKeys.REPLICATING, s.map(Replication.Status::replicating).orElse(false));
    out.put("ioRunning", s.map(Replication.Status::ioRunning).orElse(false));
    out.put("sqlRunning", s.map(Replication.Status::sqlRunning).orElse(false));
    out.put(MysqlRoleKeys.SECONDS_BEHIND, s.map(Replication.Status::secondsBehind).orElse(null));
    out.put(MysqlRoleKeys.GTID_POSITION, gtidPosition(s).orElse(null));
    out.put("seededFrom", replication.seededFrom().orElse(null));
    out.put("lastError", s.map(Replication.Status::lastError).filter(e -> !e.isBlank()).orElse(null));
    return out;
  }

  /** SHOW SLAVE STATUS, empty when no master is set or the server does not answer (e.g. restarting). */
  private Optional<Replication.Status> currentStatus() {
    try {
      return server.running() ? replication.status() : Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private Optional<String> gtidPosition(Optional<Replication.Status> s) {
    if (s.isPresent()) {
      return Optional.of(s.get().gtidPosition());
    }
    try {
      return server.running() ? server.admin().value("SELECT @@gtid_slave_pos AS g;") : Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }
}
