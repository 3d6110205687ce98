package io.conpaas.agent.api;

/**
 * Configuration keys, facts and request bodies of the MySQL roles (master, slaves), shared by agent
 * and operator. Credentials never travel in the configuration (which the Agent object shows):
 * they are PUT to {@link AgentPaths#MYSQL_CREDENTIALS}.
 */
public final class MysqlRoleKeys {
  /** Config and fact: MariaDB's port (0 or absent in config: the agent picks and keeps one). */
  public static final String PORT = "port";
  /** Config: this server's unique server_id (the operator assigns 1 to the master, 10+i to slave i). */
  public static final String SERVER_ID = "serverId";
  /** Slave config: host and port of the master to replicate from. */
  public static final String MASTER_HOST = "masterHost";
  public static final String MASTER_PORT = "masterPort";
  /** Fact: the version label of the credentials last applied (see {@link Credentials}). */
  public static final String CREDENTIALS_VERSION = "credentialsVersion";
  /** Slave fact: "true" when both replication threads run. */
  public static final String REPLICATING = "replicating";
  /** Slave fact: Seconds_Behind_Master (absent when unknown). */
  public static final String SECONDS_BEHIND = "secondsBehindMaster";
  /** In GET /mysql/status (not a fact, it moves with every write): gtid_current_pos or gtid_slave_pos. */
  public static final String GTID_POSITION = "gtidPosition";
  /** The user with extended privileges that ConPaaS users connect as (manual 2.5.1). */
  public static final String USER = "mysqladb";
  /** The user slaves replicate as. */
  public static final String REPLICATION_USER = "repl";

  /**
   * Body of PUT {@link AgentPaths#MYSQL_CREDENTIALS}: the password of {@link #USER}, the
   * replication password, and an opaque version label the agent reports back as a fact.
   */
  public record Credentials(String password, String replicationPassword, String version) {
    @Override
    public String toString() {
      // Never print secrets, even by accident in a log line.
      return "Credentials[version=" + version + "]";
    }
  }

  private MysqlRoleKeys() {}
}
