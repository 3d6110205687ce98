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

  private VmTags() {}
}
