package io.conpaas.iaas.qemu;

import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The private network of one qemu Cloud (network "bridge"): a network namespace of the Cloud's own
 * holding one bridge, and a second NIC per VM on it. qemu stays in the host's namespace (its user
 * network still forwards the agent's port from 127.0.0.1, the operator's way in); the second NIC's tap
 * is made inside the Cloud's namespace by qemu-bridge-helper run under nsenter, and vanishes when qemu
 * exits. Each VM gets a static address 10.77.x.y/16 (by a per-VM index) and a MAC derived from it,
 * handed to the guest on a small seed disk (serial conpaas-network). Nothing is added to the host's
 * network namespace: no veth, no address, no route; the subnet exists only inside the Cloud's namespace,
 * so every Cloud can use the same one. The namespace is removed when the Cloud's last VM is gone.
 */
final class QemuCloudNetwork {
  static final String BRIDGE = "cpqbr0";
  static final String SEED_SERIAL = "conpaas-network";
  static final Path HELPER = Path.of("/usr/lib/qemu/qemu-bridge-helper");
  static final Path ACL = Path.of("/etc/qemu/bridge.conf");
  static final int PREFIX = 16;
  /** Index 1 (10.77.0.1) is left free, like a gateway address would be. */
  static final int FIRST_INDEX = 2;
  static final int LAST_INDEX = 65534;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final String namespace;

  QemuCloudNetwork(Path workDir) {
    this.namespace = namespaceFor(workDir);
  }

  /** cpq-&lt;hash of the Cloud's work dir&gt;: one per Cloud, distinct from other projects' names. */
  static String namespaceFor(Path workDir) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(workDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "cpq-" + HexFormat.of().formatHex(h, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String namespace() {
    return namespace;
  }

  static String address(int index) {
    return "10.77." + (index >> 8) + "." + (index & 0xff);
  }

  static String mac(int index) {
    return String.format("52:54:00:4d:%02x:%02x", index >> 8, index & 0xff);
  }

  /** The network seed disk's content: "MAC ADDRESS/PREFIX\n" (NUL-padded by the caller). */
  static byte[] seed(int index) {
    return (mac(index) + " " + address(index) + "/" + PREFIX + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The second NIC: a tap on the Cloud's bridge, made in the Cloud's namespace by qemu-bridge-helper. */
  List<String> qemuArgs(int index) {
    return List.of("-netdev", "bridge,id=net1,br=" + BRIDGE + ",helper=/usr/bin/nsenter --net=/run/netns/" + namespace
            + " " + HELPER,
        "-device", "virtio-net-pci,netdev=net1,mac=" + mac(index));
  }

  /** What the Cloud needs: iproute2, nsenter, qemu-bridge-helper and its ACL allowing the bridge. */
  void verify() {
    if (!Files.isExecutable(HELPER)) {
      throw new CloudException("NetworkUnusable", HELPER + " is missing (package qemu-system-common)", false);
    }
    if (!aclAllowsBridge()) {
      throw new CloudException("NetworkUnusable", ACL + " must contain 'allow " + BRIDGE
          + "' for network bridge (hack/install-deps.sh writes it)", false);
    }
    BoundedRun.Result r = BoundedRun.run(List.of("ip", "netns", "list"), TIMEOUT, null);
    if (!r.ok()) {
      throw new CloudException("NetworkUnusable", "ip netns does not work (network bridge needs root): "
          + r.output(), false);
    }
  }

  static boolean aclAllowsBridge() {
    try {
      return Files.isReadable(ACL) && Files.readAllLines(ACL).stream().map(String::strip)
          .anyMatch(l -> l.equals("allow " + BRIDGE) || l.equals("allow all"));
    } catch (IOException e) {
      return false;
    }
  }

  boolean exists() {
    return Files.exists(Path.of("/run/netns", namespace));
  }

  /** The namespace with its bridge, made when missing. */
  void ensure() {
    if (!exists()) {
      run("ip", "netns", "add", namespace);
    }
    run("ip", "-n", namespace, "link", "set", "lo", "up");
    if (!BoundedRun.run(List.of("ip", "-n", namespace, "link", "show", BRIDGE), TIMEOUT, null).ok()) {
      run("ip", "-n", namespace, "link", "add", BRIDGE, "type", "bridge");
    }
    run("ip", "-n", namespace, "link", "set", BRIDGE, "up");
  }

  /** Removes the namespace (its bridge and any tap left go with it). */
  void remove() {
    if (exists()) {
      run("ip", "netns", "del", namespace);
    }
  }

  private static void run(String... command) {
    BoundedRun.Result r = BoundedRun.run(List.of(command), TIMEOUT, null);
    if (!r.ok()) {
      throw new CloudException("NetworkUnusable", String.join(" ", command) + ": "
          + (r.timedOut() ? "timed out" : r.output()), true);
    }
  }
}
