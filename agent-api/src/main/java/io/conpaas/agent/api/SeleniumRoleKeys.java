package io.conpaas.agent.api;

/** Configuration keys and facts of SeleniumService's hub and nodes roles, shared by agent and operator. */
public final class SeleniumRoleKeys {
  /** Config and fact (both roles): the Grid HTTP port (0 or absent: picked and kept). */
  public static final String PORT = "port";
  /** Fact of the hub: the port of its event bus where nodes publish (Grid's --publish-events). */
  public static final String PUBLISH_PORT = "publishPort";
  /** Fact of the hub: the port of its event bus nodes subscribe to (Grid's --subscribe-events). */
  public static final String SUBSCRIBE_PORT = "subscribePort";
  /** Config of a node: the hub's address as the node reaches it (host or IP). */
  public static final String HUB_HOST = "hubHost";
  /** Config of a node: the hub's HTTP port. */
  public static final String HUB_PORT = "hubPort";
  /** Config of a node: the hub's publish port. */
  public static final String HUB_PUBLISH_PORT = "hubPublishPort";
  /** Config of a node: the hub's subscribe port. */
  public static final String HUB_SUBSCRIBE_PORT = "hubSubscribePort";
  /** Config of a node: concurrent browser sessions (1..16). */
  public static final String SESSIONS = "sessions";
  /** Fact of a node: "true" while the hub lists it as UP (it takes sessions). */
  public static final String REGISTERED = "registered";
  /** Fact of a node: browser sessions running on it now. */
  public static final String ACTIVE_SESSIONS = "activeSessions";
  /** Fact of a node: "true" from POST /leave until its last session ended and the node stopped. */
  public static final String DRAINING = "draining";
  /** Fact of a node: "true" while it waits for the hub's address. */
  public static final String WAITING = "waiting";

  private SeleniumRoleKeys() {}
}
