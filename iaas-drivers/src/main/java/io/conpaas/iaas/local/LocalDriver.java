package io.conpaas.iaas.local;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cloud: each "VM" is an agent process on this host with its own work directory.
 *
 * <p>The instance id is derived from the client token, so create is idempotent across operator
 * restarts: a second create with the same token finds the directory and adopts the process.
 */
public final class LocalDriver implements IaasDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDriver.class);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Path workDir;
  private final AgentLauncher launcher;

  public LocalDriver(Path workDir, AgentLauncher launcher) {
    this.workDir = workDir;
    this.launcher = launcher;
  }

  /** The deterministic instance id of the VM started with this token. */
  public static String instanceIdFor(String clientToken) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(clientToken.getBytes(StandardCharsets.UTF_8));
      return "local-" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized VmObservation create(VmRequest request) {
    LocalVmDirectory vm = new LocalVmDirectory(workDir.resolve(instanceIdFor(request.clientToken())));
    if (vm.exists()) {
      return observe(vm).orElseThrow(() -> new CloudException("InstanceGone",
          "local VM " + vm.instanceId() + " is being terminated", true));
    }
    vm.writeMeta(request.clientToken(), request.name(), request.tags(), Instant.now());
    vm.writeContext(request.contextualization());
    List<String> command = new ArrayList<>();
    // A session of its own, so the agent outlives the operator (a VM does not die with it).
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.addAll(launcher.command(vm.contextFile()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(vm.path().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(vm.logFile().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("CONPAAS_AGENT_BIND", "127.0.0.1");
    pb.environment().put("CONPAAS_AGENT_PORT", "0");
    pb.environment().put("CONPAAS_AGENT_PORT_FILE", vm.portFile().toString());
    try {
      Process process = pb.start();
      vm.writePid(process.pid());
      LOG.info("started local VM {} (pid {}) for {}", vm.instanceId(), process.pid(), request.name());
    } catch (IOException e) {
      throw new CloudException("LaunchFailed", "cannot start agent process: " + e.getMessage(), false, e);
    }
    return observe(vm).orElseThrow();
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    if (!Files.isDirectory(workDir)) {
      return List.of();
    }
    List<VmObservation> result = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(workDir)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        LocalVmDirectory vm = new LocalVmDirectory(dir);
        if (!vm.exists()) {
          continue;
        }
        observe(vm).filter(o -> clusterId.equals(o.tags().get(VmTags.CLUSTER))).ifPresent(result::add);
      }
    } catch (IOException e) {
      throw new CloudException("ListFailed", "cannot read " + workDir + ": " + e.getMessage(), true, e);
    }
    return result;
  }

  @Override
  public void verify() {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new CloudException("WorkDirUnusable", "cannot create " + workDir + ": " + e.getMessage(), false, e);
    }
    if (!Files.isWritable(workDir)) {
      throw new CloudException("WorkDirUnusable", workDir + " is not writable", false);
    }
  }

  @Override
  public synchronized void terminate(Collection<String> instanceIds) {
    for (String id : instanceIds) {
      LocalVmDirectory vm = new LocalVmDirectory(workDir.resolve(id));
      if (!vm.exists()) {
        continue;
      }
      if (!vm.terminated() && vm.pid().isPresent() && liveProcess(vm).isEmpty()) {
        // The agent died by itself: its log is about to go with its directory, so say why here.
        LOG.warn("local VM {} had exited by itself; the end of its log:\n{}", id, tail(vm.logFile(), 15));
      }
      vm.markTerminated();
      liveProcess(vm).ifPresent(p -> {
        // A VM's servers (nginx, php-fpm, ...) die with it, as they would with a real VM.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        LOG.info("killed local VM {} (pid {})", id, p.pid());
      });
      // The directory stays until the process is gone, so list() reports TERMINATING meanwhile.
      reapIfDead(vm);
    }
  }

  /** The observation of one VM directory; empty once a terminated VM's process is gone. */
  private Optional<VmObservation> observe(LocalVmDirectory vm) {
    Properties meta = vm.readMeta();
    boolean alive = liveProcess(vm).isPresent();
    VmState state;
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
    }
    String endpoint = alive ? vm.port().map(p -> "127.0.0.1:" + p).orElse(null) : null;
    return Optional.of(new VmObservation(vm.instanceId(), meta.getProperty("clientToken"),
        meta.getProperty("name"), LocalVmDirectory.tags(meta), state, "127.0.0.1", "127.0.0.1",
        endpoint, Instant.parse(meta.getProperty("createdAt"))));
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private boolean reapIfDead(LocalVmDirectory vm) {
    if (liveProcess(vm).isPresent()) {
      return false;
    }
    vm.delete();
    return true;
  }

  /** The VM's process if it is alive and really ours (a recycled pid runs something else). */
  private static Optional<ProcessHandle> liveProcess(LocalVmDirectory vm) {
    return vm.pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(p ->
        p.info().commandLine().map(cmd -> cmd.contains(vm.instanceId())).orElse(true));
  }
}
