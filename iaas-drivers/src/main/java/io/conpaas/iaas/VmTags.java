package io.conpaas.iaas;

/** Tag keys the operator puts on every VM so it can find its own VMs in one list call. */
public final class VmTags {
  public static final String CLUSTER = "conpaas.io/cluster";
  public static final String NAMESPACE = "conpaas.io/namespace";
  public static final String APPLICATION = "conpaas.io/application";
  public static final String SERVICE = "conpaas.io/service";
  public static final String ROLE = "conpaas.io/role";
  public static final String AGENT = "conpaas.io/agent";
  /** The Agent object's uid: every VM ever started for one Agent carries it. */
  public static final String AGENT_UID = "conpaas.io/agent-uid";
  /** The client token, on clouds whose own idempotency cannot be trusted to find the VM again. */
  public static final String CLIENT_TOKEN = "conpaas.io/client-token";
  /**
   * host:port where the agent is reached when that is not the VM's address and the default
   * port: set by whatever forwards the port (a NAT, or the test rig that boots agents locally).
   */
  public static final String AGENT_ENDPOINT = "conpaas.io/agent-endpoint";
  /** The batch token of a VM started in a batch (one RunInstances for several Agents). */
  public static final String LAUNCH_BATCH = "conpaas.io/launch-batch";
  /**
   * A batch VM's position in its batch (0..n-1; EC2's amiLaunchIndex, which the EC2 driver reports
   * under this key): what binds it to an Agent after launch.
   */
  public static final String LAUNCH_INDEX = "conpaas.io/launch-index";
  /** "true" on a VM on its application's private network (a local Cloud isolates its network for it). */
  public static final String VPN = "conpaas.io/vpn";

  private VmTags() {}
}
