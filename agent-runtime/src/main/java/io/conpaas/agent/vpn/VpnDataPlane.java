package io.conpaas.agent.vpn;

/**
 * The WireGuard implementation behind an agent's VPN interface: the kernel's where it has the
 * module (the VM image's Debian kernel), else wireguard-go in user space (as on a host without it).
 */
public enum VpnDataPlane {
  KERNEL("kernel"),
  WIREGUARD_GO("wireguard-go");

  private final String fact;

  VpnDataPlane(String fact) {
    this.fact = fact;
  }

  /** The value of the agent fact {@link io.conpaas.agent.api.VpnConfig#FACT_DATA_PLANE}. */
  public String fact() {
    return fact;
  }

  /**
   * The data plane for the outcome of the probe {@code ip link add <if> type wireguard}: the kernel
   * when it made the interface (probeError null), wireguard-go whenever it refused (no module,
   * "Unknown device type", no permission, timeout): the userspace daemon needs none of those.
   */
  public static VpnDataPlane choose(String probeError) {
    return probeError == null ? KERNEL : WIREGUARD_GO;
  }
}
