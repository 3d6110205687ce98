package io.conpaas.iaas.qemu;

import java.nio.file.Path;

/**
 * One qemu Cloud: its base image, the size of each VM, the network mode, where VM directories
 * live, the qemu binaries and the port the agent listens on inside the VM.
 */
public record QemuConfig(Path image, int memoryMb, int cpus, String network, Path workDir, String qemu,
    String qemuImg, int agentPort, String accelerator) {
  /** accelerator: auto (probe), kvm or tcg. */
  public static final String AUTO = "auto";
  /** qemu user networking only: each guest isolated, its agent port forwarded to loopback. */
  public static final String USER_NETWORK = "user";
  /** User networking as above plus a private network among the Cloud's VMs (see QemuCloudNetwork). */
  public static final String BRIDGE_NETWORK = "bridge";

  public QemuConfig {
    if (image == null) {
      throw new IllegalArgumentException("image is required");
    }
    if (memoryMb < 256 || memoryMb > 65536) {
      throw new IllegalArgumentException("memoryMb must be between 256 and 65536");
    }
    if (cpus < 1 || cpus > 64) {
      throw new IllegalArgumentException("cpus must be between 1 and 64");
    }
    network = network == null || network.isBlank() ? USER_NETWORK : network;
    accelerator = accelerator == null || accelerator.isBlank() ? AUTO : accelerator;
    if (!java.util.Set.of(AUTO, "kvm", "tcg").contains(accelerator)) {
      throw new IllegalArgumentException("accelerator must be auto, kvm or tcg");
    }
    if (!USER_NETWORK.equals(network) && !BRIDGE_NETWORK.equals(network)) {
      throw new IllegalArgumentException("network " + network + " is not supported (user or bridge)");
    }
  }

  public boolean bridged() {
    return BRIDGE_NETWORK.equals(network);
  }

  /** A config with the defaults for what the spec leaves out (512 MiB, 1 cpu, user network). */
  public static QemuConfig of(Path image, Integer memoryMb, Integer cpus, String network, Path workDir,
      int agentPort) {
    return of(image, memoryMb, cpus, network, workDir, agentPort, AUTO);
  }

  public static QemuConfig of(Path image, Integer memoryMb, Integer cpus, String network, Path workDir,
      int agentPort, String accelerator) {
    return new QemuConfig(image, memoryMb == null ? 512 : memoryMb, cpus == null ? 1 : cpus, network, workDir,
        "qemu-system-x86_64", "qemu-img", agentPort, accelerator);
  }
}
