package io.conpaas.iaas.qemu;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The qemu cloud: each VM is a qemu process on this host booting a copy-on-write qcow2 overlay
 * of the Cloud's image, with KVM when a bounded probe finds it working and TCG otherwise.
 *
 * <p>Like the local cloud, the instance id is derived from the client token and each VM's
 * directory is its durable record, so create is idempotent across operator restarts (a second
 * create adopts the running qemu), list is one pass over the directories, and terminate kills
 * qemu and removes the directory with the overlay. The agent inside listens on its usual port,
 * which qemu forwards from 127.0.0.1:&lt;a free port&gt; (see {@link QemuCommand}).
 */
public final class QemuDriver implements IaasDriver {
  private static final Logger LOG = LoggerFactory.getLogger(QemuDriver.class);
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Duration OVERLAY_TIMEOUT = Duration.ofSeconds(30);

  private final QemuConfig config;
  private final QemuCloudNetwork network;

  public QemuDriver(QemuConfig config) {
    this.config = config;
    this.network = config.bridged() ? new QemuCloudNetwork(config.workDir()) : null;
  }

  /** The deterministic instance id of the VM started with this token. */
  public static String instanceIdFor(String clientToken) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(clientToken.getBytes(StandardCharsets.UTF_8));
      return "qemu-" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The network namespace of a bridge-network qemu Cloud whose VM directories are in cloudWorkDir. */
  public static String networkNamespace(Path cloudWorkDir) {
    return QemuCloudNetwork.namespaceFor(cloudWorkDir);
  }

  /** The accelerator VMs of this Cloud use (probed once per qemu binary). */
  public QemuAccelerator accelerator() {
    if (!QemuConfig.AUTO.equals(config.accelerator())) {
      return new QemuAccelerator(config.accelerator(), "set in spec.qemu.accelerator");
    }
    return QemuAccelerator.forBinary(config.qemu());
  }

  @Override
  public String statusNote() {
    QemuAccelerator a = accelerator();
    return "qemu accelerator " + a.name() + " (" + a.why() + ")";
  }

  @Override
  public synchronized VmObservation create(VmRequest request) {
    QemuVmDirectory vm = new QemuVmDirectory(config.workDir().resolve(instanceIdFor(request.clientToken())));
    if (vm.exists() && (vm.terminated() || vm.pid().isPresent())) {
      return observe(vm).orElseThrow(() -> new CloudException("InstanceGone",
          "qemu VM " + vm.instanceId() + " is being terminated", true));
    }
    // A directory without a pid is a create that stopped half-way: nothing runs, so it is redone.
    if (!Files.isRegularFile(config.image())) {
      throw new CloudException("ImageUnusable", "image " + config.image() + ": no such file", false);
    }
    prepareWorkDir();
    vm.ensureDir();
    vm.writeSeed(request.contextualization());
    String format = QemuImage.check(config.image(), config.qemuImg());
    makeOverlay(vm, format);
    int port = vm.port().orElseGet(QemuDriver::freeLoopbackPort);
    vm.writePort(port);
    List<String> devices = new ArrayList<>(QemuCommand.seedDisk(vm.seed()));
    if (network != null) {
      int index = vm.netIndex().orElseGet(this::freeNetIndex);
      vm.writeNetIndex(index);
      vm.writeNetworkSeed(QemuCloudNetwork.seed(index));
      network.ensure();
      devices.addAll(List.of("-drive", "file=" + vm.networkSeed() + ",if=none,id=netseed,format=raw,readonly=on",
          "-device", "virtio-blk-pci,drive=netseed,serial=" + QemuCloudNetwork.SEED_SERIAL));
      devices.addAll(network.qemuArgs(index));
    }
    vm.create(request.clientToken(), request.name(), request.tags(), Instant.now());
    List<String> command = new ArrayList<>();
    // A session of its own, so the VM outlives the operator.
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.addAll(QemuCommand.of(config, accelerator(), vm.instanceId(), vm.overlay(), devices, "", vm.console(),
        port));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(vm.path().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(vm.qemuLog().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // qemu needs nothing of the operator's environment (its credentials least of all).
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    try {
      Process process = pb.start();
      vm.writePid(process.pid());
      LOG.info("started qemu VM {} (pid {}, {}, agent at 127.0.0.1:{}) for {}", vm.instanceId(), process.pid(),
          accelerator().name(), port, request.name());
    } catch (IOException e) {
      throw new CloudException("LaunchFailed", "cannot start qemu: " + e.getMessage(), false, e);
    }
    return observe(vm).orElseThrow();
  }

  /** The lowest private-network index no VM directory of this Cloud holds (called under the create lock). */
  private int freeNetIndex() {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    try (Stream<Path> dirs = Files.list(config.workDir())) {
      dirs.map(QemuVmDirectory::new).forEach(d -> d.netIndex().ifPresent(used::add));
    } catch (IOException e) {
      throw new CloudException("LaunchFailed", "cannot read " + config.workDir() + ": " + e.getMessage(), true, e);
    }
    for (int i = QemuCloudNetwork.FIRST_INDEX; i <= QemuCloudNetwork.LAST_INDEX; i++) {
      if (!used.contains(i)) {
        return i;
      }
    }
    throw new CloudException("CloudFull", "no free address in the qemu Cloud's private network", false);
  }

  /** The Cloud's network namespace goes with its last VM (a new VM makes it again). */
  private synchronized void removeNetworkIfUnused() {
    if (network == null || !network.exists()) {
      return;
    }
    try (Stream<Path> dirs = Files.list(config.workDir())) {
      if (dirs.anyMatch(Files::isDirectory)) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    network.remove();
    LOG.info("removed the qemu Cloud's network namespace {}", network.namespace());
  }

  private void makeOverlay(QemuVmDirectory vm, String backingFormat) {
    try {
      Files.deleteIfExists(vm.overlay());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BoundedRun.Result r = BoundedRun.run(List.of(config.qemuImg(), "create", "-q", "-f", "qcow2",
        "-F", backingFormat, "-b", config.image().toAbsolutePath().toString(), vm.overlay().toString()),
        OVERLAY_TIMEOUT, null);
    if (!r.ok()) {
      throw new CloudException("LaunchFailed", "cannot create the overlay of " + config.image() + ": "
          + (r.timedOut() ? "qemu-img timed out" : r.output()), true);
    }
    try {
      Files.setPosixFilePermissions(vm.overlay(), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    if (!Files.isDirectory(config.workDir())) {
      return List.of();
    }
    List<VmObservation> result = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(config.workDir())) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        QemuVmDirectory vm = new QemuVmDirectory(dir);
        if (vm.exists()) {
          observe(vm).filter(o -> clusterId.equals(o.tags().get(VmTags.CLUSTER))).ifPresent(result::add);
        }
      }
    } catch (IOException e) {
      throw new CloudException("ListFailed", "cannot read " + config.workDir() + ": " + e.getMessage(), true, e);
    }
    if (result.isEmpty()) {
      removeNetworkIfUnused();
    }
    return result;
  }

  @Override
  public synchronized void terminate(Collection<String> instanceIds) {
    for (String id : instanceIds) {
      QemuVmDirectory vm = new QemuVmDirectory(config.workDir().resolve(id));
      if (!vm.exists() && !Files.isDirectory(vm.path())) {
        continue;
      }
      if (!vm.exists()) {
        vm.delete();
        continue;
      }
      vm.markTerminated();
      liveQemu(vm).ifPresent(p -> {
        p.destroyForcibly();
        LOG.info("killed qemu VM {} (pid {})", id, p.pid());
        try {
          // SIGKILL takes effect at once; a short bounded wait lets the overlay go in this call.
          p.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
          // Still exiting: list() reports TERMINATING and removes it later.
        }
      });
      reapIfDead(vm);
    }
    removeNetworkIfUnused();
  }

  @Override
  public void verify() {
    prepareWorkDir();
    if (!Files.isWritable(config.workDir())) {
      throw new CloudException("WorkDirUnusable", config.workDir() + " is not writable", false);
    }
    QemuImage.check(config.image(), config.qemuImg());
    if (network != null) {
      network.verify();
    }
    BoundedRun.Result version = BoundedRun.run(List.of(config.qemu(), "--version"), Duration.ofSeconds(10), null);
    if (!version.ok()) {
      throw new CloudException("QemuMissing", config.qemu() + " does not run: " + version.output(), false);
    }
    accelerator();
  }

  private void prepareWorkDir() {
    try {
      Files.createDirectories(config.workDir());
    } catch (IOException e) {
      throw new CloudException("WorkDirUnusable", "cannot create " + config.workDir() + ": " + e.getMessage(),
          false, e);
    }
  }

  private Optional<VmObservation> observe(QemuVmDirectory vm) {
    Properties meta = vm.readMeta();
    boolean alive = liveQemu(vm).isPresent();
    VmState state;
    String reason = null;
    if (vm.terminated()) {
      if (reapIfDead(vm)) {
        return Optional.empty();
      }
      state = VmState.TERMINATING;
    } else if (alive) {
      state = VmState.RUNNING;
    } else if (vm.pid().isEmpty()) {
      state = VmState.PENDING;
    } else {
      state = VmState.FAILED;
      reason = "qemu exited: " + lastLine(vm.qemuLog());
    }
    String endpoint = alive ? vm.port().map(p -> "127.0.0.1:" + p).orElse(null) : null;
    // On a bridge network the other VMs of the Cloud reach this one at its private address.
    String privateAddress = network == null ? "127.0.0.1"
        : vm.netIndex().map(QemuCloudNetwork::address).orElse("127.0.0.1");
    return Optional.of(new VmObservation(vm.instanceId(), meta.getProperty("clientToken"), meta.getProperty("name"),
        QemuVmDirectory.tags(meta), state, "127.0.0.1", privateAddress, endpoint,
        Instant.parse(meta.getProperty("createdAt")), reason, false));
  }

  private boolean reapIfDead(QemuVmDirectory vm) {
    if (liveQemu(vm).isPresent()) {
      return false;
    }
    vm.delete();
    return true;
  }

  /** The VM's qemu if it is alive and really ours (a recycled pid runs something else). */
  private static Optional<ProcessHandle> liveQemu(QemuVmDirectory vm) {
    return vm.pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(p ->
        p.info().commandLine().map(cmd -> cmd.contains(vm.instanceId())).orElse(true));
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = io.conpaas.iaas.LogTail.lastLines(log, 50);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          String l = lines.get(i).strip();
          return l.length() > 300 ? l.substring(0, 300) : l;
        }
      }
      return "(no output)";
    } catch (IOException | UncheckedIOException e) {
      return "(no log)";
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new CloudException("LaunchFailed", "no free port on 127.0.0.1: " + e.getMessage(), true, e);
    }
  }
}
