package io.conpaas.iaas.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qemu driver with real qemu processes: the VMs boot an empty disk (SeaBIOS finds nothing to
 * boot and waits), which is enough to prove create, adoption, list and terminate without the agent image.
 */
class QemuDriverTest {
  private static final String CLUSTER = "test-cluster";

  @TempDir
  Path dir;

  private QemuDriver driver;

  @AfterEach
  void killLeftovers() {
    if (driver != null) {
      driver.terminate(driver.list(CLUSTER).stream().map(VmObservation::instanceId).toList());
    }
  }

  private Path emptyImage() {
    Path image = dir.resolve("empty.qcow2");
    BoundedRun.Result r = BoundedRun.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"),
        java.time.Duration.ofSeconds(30), null);
    assertThat(r.ok()).as(r.output()).isTrue();
    return image;
  }

  private QemuDriver driver(Path image) {
    return new QemuDriver(QemuConfig.of(image, 256, 1, null, dir.resolve("vms"), 5555));
  }

  private static VmRequest request(String token) {
    return new VmRequest(token, "agent-0", Map.of(VmTags.CLUSTER, CLUSTER), null,
        "{\"agentName\":\"a\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void createIsIdempotentSurvivesARestartAndTerminateRemovesQemuAndOverlay() throws Exception {
    Path image = emptyImage();
    driver = driver(image);
    VmObservation vm = driver.create(request("token-1"));
    assertThat(vm.state()).isEqualTo(VmState.RUNNING);
    assertThat(vm.agentEndpoint()).startsWith("127.0.0.1:");
    Path vmDir = dir.resolve("vms").resolve(vm.instanceId());
    assertThat(vmDir.resolve("overlay.qcow2")).exists();
    // The overlay is copy-on-write over the image: qemu-img names it as the backing file.
    BoundedRun.Result info = BoundedRun.run(List.of("qemu-img", "info", "-U", vmDir.resolve("overlay.qcow2").toString()),
        java.time.Duration.ofSeconds(30), null);
    assertThat(info.output()).contains("backing file: " + image.toAbsolutePath());
    // The seed disk carries the document, NUL-padded to a sector.
    byte[] seed = Files.readAllBytes(vmDir.resolve("context.img"));
    assertThat(seed.length % 512).isZero();
    assertThat(new String(seed, StandardCharsets.UTF_8)).startsWith("{\"agentName\":\"a\"}");
    long pid = Long.parseLong(Files.readString(vmDir.resolve("pid")).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    // A repeated create (same token) adopts the VM, also from a new driver (an operator restart).
    assertThat(driver.create(request("token-1")).instanceId()).isEqualTo(vm.instanceId());
    QemuDriver restarted = driver(image);
    VmObservation again = restarted.create(request("token-1"));
    assertThat(again.instanceId()).isEqualTo(vm.instanceId());
    assertThat(again.agentEndpoint()).isEqualTo(vm.agentEndpoint());
    assertThat(Files.readString(vmDir.resolve("pid")).trim()).isEqualTo(Long.toString(pid));
    assertThat(restarted.list(CLUSTER)).extracting(VmObservation::instanceId).containsExactly(vm.instanceId());
    assertThat(restarted.list("other-cluster")).isEmpty();

    restarted.terminate(List.of(vm.instanceId()));
    Optional<ProcessHandle> qemu = ProcessHandle.of(pid);
    if (qemu.isPresent()) {
      qemu.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(restarted.list(CLUSTER)).isEmpty();
    assertThat(vmDir).doesNotExist();
  }

  @Test
  void aMissingOrCorruptImageIsRefusedWithTheFileNamed() throws Exception {
    Path missing = dir.resolve("nope.qcow2");
    assertThatThrownBy(() -> driver(missing).verify()).isInstanceOf(CloudException.class)
        .hasMessageContaining(missing.toString()).extracting(e -> ((CloudException) e).reason())
        .isEqualTo("ImageUnusable");
    Path garbage = dir.resolve("garbage.qcow2");
    Files.write(garbage, new byte[4096]);
    assertThatThrownBy(() -> driver(garbage).verify()).isInstanceOf(CloudException.class)
        .hasMessageContaining(garbage.toString());
    // A qcow2 whose metadata was overwritten.
    Path broken = emptyImage();
    byte[] bytes = Files.readAllBytes(broken);
    for (int i = 64; i < Math.min(bytes.length, 0x30000); i++) {
      bytes[i] = (byte) 0xff;
    }
    Files.write(broken, bytes);
    assertThatThrownBy(() -> driver(broken).verify()).isInstanceOf(CloudException.class)
        .hasMessageContaining(broken.toString());
    assertThatThrownBy(() -> driver(missing).create(request("t"))).isInstanceOf(CloudException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void theAcceleratorIsKvmOnlyWhenTheProbeAnswersAndTheCommandSaysWhich() {
    QemuAccelerator accel = QemuAccelerator.forBinary("qemu-system-x86_64");
    assertThat(accel.name()).isIn("kvm", "tcg");
    assertThat(accel.why()).isNotBlank();
    QemuDriver forced = new QemuDriver(QemuConfig.of(Path.of("/img.qcow2"), null, null, null, dir, 5555, "tcg"));
    assertThat(forced.statusNote()).isEqualTo("qemu accelerator tcg (set in spec.qemu.accelerator)");
    QemuConfig config = QemuConfig.of(Path.of("/img.qcow2"), null, null, null, dir, 5555);
    List<String> tcg = QemuCommand.of(config, new QemuAccelerator("tcg", "test"), "qemu-x", Path.of("/o"),
        Path.of("/s"), Path.of("/c"), 40000);
    assertThat(String.join(" ", tcg)).contains("-accel tcg").doesNotContain("-cpu host")
        .contains("restrict=on,hostfwd=tcp:127.0.0.1:40000-:5555").contains("serial=conpaas-context");
    List<String> kvm = QemuCommand.of(config, new QemuAccelerator("kvm", "test"), "qemu-x", Path.of("/o"),
        Path.of("/s"), Path.of("/c"), 40000);
    assertThat(String.join(" ", kvm)).contains("-accel kvm").contains("-cpu host");
  }

  @Test
  void aBridgeNetworkGivesEachVmATapOnTheCloudsBridgeAndAnAddressAndGoesWithTheLastVm() throws Exception {
    Path image = emptyImage();
    Path vms = dir.resolve("bridged");
    driver = new QemuDriver(QemuConfig.of(image, 256, 1, "bridge", vms, 5555));
    driver.verify();
    String netns = QemuDriver.networkNamespace(vms);
    VmObservation a = driver.create(request("tok-a"));
    VmObservation b = driver.create(request("tok-b"));
    assertThat(List.of(a.privateAddress(), b.privateAddress())).containsExactlyInAnyOrder("10.77.0.2", "10.77.0.3");
    assertThat(vms.resolve(a.instanceId()).resolve("network.img")).exists();
    // Each qemu's tap is on the Cloud's bridge inside the Cloud's namespace; none in the host's.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(run("ip", "-n", netns, "-o", "link", "show", "master", QemuCloudNetwork.BRIDGE).lines()
            .filter(l -> l.contains("tap")).count()).isEqualTo(2));
    assertThat(run("ip", "-o", "link", "show")).doesNotContain(netns);
    // Adopted after a restart: the same address.
    QemuDriver restarted = new QemuDriver(QemuConfig.of(image, 256, 1, "bridge", vms, 5555));
    assertThat(restarted.create(request("tok-a")).privateAddress()).isEqualTo(a.privateAddress());

    driver.terminate(List.of(a.instanceId()));
    assertThat(run("ip", "netns", "list")).contains(netns);
    // A new VM takes the freed address.
    VmObservation c = driver.create(request("tok-c"));
    assertThat(c.privateAddress()).isEqualTo(a.privateAddress());
    driver.terminate(List.of(b.instanceId(), c.instanceId()));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
      driver.list(CLUSTER);
      assertThat(run("ip", "netns", "list")).doesNotContain(netns);
    });
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
