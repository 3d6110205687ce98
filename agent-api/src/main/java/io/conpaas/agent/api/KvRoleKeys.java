package io.conpaas.agent.api;

/** Configuration keys and facts of ScalarisService's nodes role (the key-value store), shared by agent and operator. */
public final class KvRoleKeys {
  /** Config: the Hazelcast cluster name; only members with the same name join (one per service). */
  public static final String CLUSTER_NAME = "clusterName";
  /** Config: comma-separated host:port of the other members' Hazelcast endpoints (the TCP-IP join list). */
  public static final String MEMBERS = "members";
  /** Config: "true" lets the node start a cluster of its own when it knows no member (the first node). */
  public static final String BOOTSTRAP = "bootstrap";
  /** Config: synchronous backups of every entry (0..6). */
  public static final String BACKUP_COUNT = "backupCount";
  /** Config and fact: the plain HTTP port of the key-value API and status page (0 or absent: picked and kept). */
  public static final String PORT = "port";
  /** Config and fact: the Hazelcast member port (0 or absent: picked and kept). */
  public static final String MEMBER_PORT = "memberPort";
  /** Fact: "true" once the node is a member of a cluster. */
  public static final String MEMBER = "member";
  /** Fact: the number of members the node sees. */
  public static final String CLUSTER_SIZE = "clusterSize";
  /** Fact: "true" while the node waits for a member list to join (a node that may not bootstrap). */
  public static final String WAITING = "waiting";
  /** Fact: "true" from POST /leave until the member has left (its partitions migrated). */
  public static final String LEAVING = "leaving";

  private KvRoleKeys() {}
}
