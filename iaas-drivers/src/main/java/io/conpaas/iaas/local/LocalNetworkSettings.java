package io.conpaas.iaas.local;

/**
 * Network isolation of a local Cloud (Cloud spec.local.isolateNetwork and spec.local.network):
 * whether every agent gets a network namespace of its own (agents of a VPN application always do),
 * and the Cloud's underlay network (null: derived from the Cloud's work directory).
 */
public record LocalNetworkSettings(boolean isolateAll, String network) {
  /** No namespace unless a VM needs one (VPN), on the derived network. */
  public static LocalNetworkSettings defaults() {
    return new LocalNetworkSettings(false, null);
  }
}
