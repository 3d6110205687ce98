package io.conpaas.agent.api;

/** The HTTPS endpoints every agent serves. */
public final class AgentPaths {
  /** ConPaaS check_agent_process: answers 200 while the agent is alive. */
  public static final String HEALTH = "/health";
  /** Role, state, version and the hash of the configuration the agent runs. */
  public static final String INFO = "/info";
  /** PUT the role's configuration (a JSON object of strings). */
  public static final String CONFIG = "/config";
  /** The helloworld role's get_helloworld. */
  public static final String HELLOWORLD = "/helloworld";
  /**
   * Code of the web roles (PHP/Java web and backend): GET lists the versions ({"active": v,
   * "versions": [{version, sha256, bytes, files, uploaded}]}); PUT {@code /code/versions/<v>} with
   * the archive as the body uploads one (ConPaaS upload_code_version; zip, tar or tar.gz; war for
   * Java).
   */
  public static final String CODE_VERSIONS = "/code/versions";
  /** PUT {"version": v} makes an uploaded version the active one (ConPaaS set_active_code). */
  public static final String CODE_ACTIVE = "/code/active";

  /**
   * MySQL roles: PUT {@link MysqlRoleKeys.Credentials} as JSON. The master creates or updates the
   * users (they replicate to the slaves); every server keeps the passwords for seeding and
   * replication. Answers the agent's info.
   */
  public static final String MYSQL_CREDENTIALS = "/mysql/credentials";
  /**
   * MySQL master: PUT an SQL dump as the body (streamed; size-capped before anything runs). 200
   * {"statements": n} or 422 {"error": "line N: ...", "line": N, "applied": bool}.
   */
  public static final String MYSQL_DUMP = "/mysql/dump";
  /** MySQL roles: GET replication state ({"replicating", "secondsBehindMaster", "gtidPosition", ...}). */
  public static final String MYSQL_STATUS = "/mysql/status";
  /**
   * Any role: POST before the operator releases the VM, so the role can leave cleanly (a slave
   * stops replicating). Roles without anything to do answer 200. The answer is the agent's info;
   * its state is {@link #STATE_LEAVING} while the role is still leaving (a key-value node whose
   * partitions are migrating): the operator asks again and keeps the VM until it is not.
   */
  public static final String LEAVE = "/leave";
  /** AgentInfo state of an agent whose role has not finished leaving (see {@link #LEAVE}). */
  public static final String STATE_LEAVING = "LEAVING";

  /**
   * TLS bootstrap (an agent makes its own key): GET answers a {@link BootstrapClaim} (the agent's
   * public key, its bootstrap token and the proof binding them); PUT {"certificatePem": ...} installs
   * the certificate the operator's CA issued for that key (also how certificates are renewed).
   * Only the operator's client certificate may call it, as every agent path.
   */
  public static final String BOOTSTRAP = "/bootstrap";

  private AgentPaths() {}
}
