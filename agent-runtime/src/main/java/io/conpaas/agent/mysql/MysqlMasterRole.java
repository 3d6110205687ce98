package io.conpaas.agent.mysql;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The MySQL service's master: a mariadbd with binary logs (ROW, GTIDs) that slaves replicate from.
 * PUT credentials creates or updates {@code mysqladb}@'%' (ALL PRIVILEGES WITH GRANT OPTION, manual
 * 2.5.1) and {@code repl}@'%' (REPLICATION SLAVE, REPLICATION CLIENT); PUT {@link AgentPaths#MYSQL_DUMP}
 * loads a dump. Facts: port, credentialsVersion, gtidPosition (gtid_current_pos).
 */
public final class MysqlMasterRole extends MysqlRole {
  private final long maxDumpBytes;

  public MysqlMasterRole() {
    this(DumpEndpoint.DEFAULT_MAX_BYTES);
  }

  /** A master that refuses dumps larger than maxDumpBytes. */
  public MysqlMasterRole(long maxDumpBytes) {
    super("master");
    this.maxDumpBytes = maxDumpBytes;
  }

  @Override
  protected boolean master() {
    return true;
  }

  @Override
  protected int defaultServerId() {
    return 1;
  }

  @Override
  protected void applyCredentials(Credentials c) {
    if (!server.running()) {
      throw new IllegalStateException("mariadbd is not running");
    }
    // Hashes, not passwords: these statements go into the binary log and on to every slave.
    server.admin().executeSecret(
        user(MysqlRoleKeys.USER, c.password())
            + "GRANT ALL PRIVILEGES ON *.* TO " + account(MysqlRoleKeys.USER) + " WITH GRANT OPTION;\n"
            // ALL includes READ_ONLY ADMIN, which would let mysqladb write on read-only slaves and
            // break replication; the revoke replicates to every slave.
            + "REVOKE READ_ONLY ADMIN ON *.* FROM " + account(MysqlRoleKeys.USER) + ";\n"
            + user(MysqlRoleKeys.REPLICATION_USER, c.replicationPassword())
            + "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + account(MysqlRoleKeys.REPLICATION_USER) + ";\n",
        "creating the users " + MysqlRoleKeys.USER + " and " + MysqlRoleKeys.REPLICATION_USER);
    credentials.save(c);
  }

  private static String user(String name, String password) {
    String hash = SqlClient.literal(CredentialStore.nativeHash(password));
    return "CREATE USER IF NOT EXISTS " + account(name) + " IDENTIFIED BY PASSWORD " + hash + ";\n"
        + "ALTER USER " + account(name) + " IDENTIFIED BY PASSWORD " + hash + ";\n";
  }

  private static String account(String name) {
    return SqlClient.literal(name) + "@'%'";
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    Map<String, HttpHandler> handlers = super.endpoints();
    handlers.put(AgentPaths.MYSQL_DUMP, new DumpEndpoint(privateDir, server.admin(), maxDumpBytes));
    return handlers;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = commonFacts();
    // gtidPosition is in GET /mysql/status, not a fact: it changes with every write and facts are copied to status.
    return facts;
  }

  private Optional<String> gtidPosition() {
    try {
      return server.running() ? server.admin().value("SELECT @@gtid_current_pos AS g;") : Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  @Override
  protected Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>(commonStatus("master"));
    s.put(MysqlRoleKeys.GTID_POSITION, gtidPosition().orElse(null));
    return s;
  }
}
