package io.conpaas.agent.api;

/** Configuration keys and facts of the web hosting roles (proxy, web, backend), shared by agent and operator. */
public final class WebRoleKeys {
  /** Config and fact: the role's HTTP port (0 or absent in config: the agent picks and keeps one). */
  public static final String PORT = "port";
  /** Proxy config: comma-separated host:port of the backends to balance over. */
  public static final String BACKENDS = "backends";
  /** Proxy config: comma-separated host:port of the static web servers. */
  public static final String WEB = "web";
  /** PHP proxy fact: port of the shared session store. */
  public static final String SESSION_PORT = "sessionPort";
  /** Web/backend config and fact: the code version to serve. */
  public static final String ACTIVE_VERSION = "activeVersion";
  /** PHP backend config: show PHP errors (ConPaaS toggle_debug). */
  public static final String DEBUG = "debug";
  /** PHP backend config: URL of the proxy's session store. */
  public static final String SESSION_STORE = "sessionStore";

  /** PHP backend config: where the service's database (a MysqlService's master) is, and as which user. */
  public static final String DB_HOST = "dbHost";
  public static final String DB_PORT = "dbPort";
  public static final String DB_USER = "dbUser";

  private WebRoleKeys() {}
}
