package io.conpaas.iaas.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The qemu command line of one VM (pure). The disk is the VM's overlay, which boots from the
 * image's own bootloader; the contextualization document is a read-only virtio disk with serial
 * conpaas-context (the image's boot helper reads it). The network is qemu user networking with
 * restrict=on: the guest reaches nothing outside, and the only way in is the agent's port,
 * forwarded from 127.0.0.1:hostPort.
 *
 * <p>The general form takes the context device and extra user-network options, so that the same
 * guest can be booted the way other clouds hand it its document (an OpenNebula context CD-ROM, an
 * EC2 metadata service reached through a guest forward), as the test rigs of those clouds do.
 */
final class QemuCommand {
  /** The serial number the image's boot helper looks for (/dev/disk/by-id/virtio-conpaas-context). */
  static final String CONTEXT_SERIAL = "conpaas-context";

  private QemuCommand() {}

  /** The qemu Cloud's VM: the document on a seed disk. */
  static List<String> of(QemuConfig config, QemuAccelerator accel, String instanceId, Path overlay, Path seed,
      Path console, int hostPort) {
    return of(config, accel, instanceId, overlay, seedDisk(seed), "", console, hostPort);
  }

  /** The read-only virtio disk with serial conpaas-context that holds the document. */
  static List<String> seedDisk(Path seed) {
    return List.of("-drive", "file=" + seed + ",if=none,id=context,format=raw,readonly=on",
        "-device", "virtio-blk-pci,drive=context,serial=" + CONTEXT_SERIAL);
  }

  /**
   * A VM with any context device (possibly none) and extra options appended to its user network
   * (each starting with a comma; commas inside a value doubled, as qemu's option syntax wants).
   */
  static List<String> of(QemuConfig config, QemuAccelerator accel, String instanceId, Path overlay,
      List<String> contextDevice, String netOptions, Path console, int hostPort) {
    List<String> cmd = new ArrayList<>(List.of(config.qemu(),
        // The instance id on the command line lets the driver tell its qemu from a recycled pid.
        "-name", instanceId,
        "-machine", "pc", "-accel", accel.name()));
    if (accel.kvm()) {
      cmd.addAll(List.of("-cpu", "host"));
    }
    cmd.addAll(List.of(
        "-m", Integer.toString(config.memoryMb()), "-smp", Integer.toString(config.cpus()),
        "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none", "-monitor", "none",
        "-serial", "file:" + console,
        // The overlay is the only boot device: SeaBIOS would otherwise try the seed disk and stop there.
        "-boot", "strict=on",
        "-drive", "file=" + overlay + ",if=none,id=disk0,format=qcow2",
        "-device", "virtio-blk-pci,drive=disk0,bootindex=0"));
    cmd.addAll(contextDevice);
    cmd.addAll(List.of(
        "-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + config.agentPort() + netOptions,
        "-device", "virtio-net-pci,netdev=net0"));
    return cmd;
  }
}
