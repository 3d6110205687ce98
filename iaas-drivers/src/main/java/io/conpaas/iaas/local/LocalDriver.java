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
import java.util.Map;
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
 *
 * <p>Tenant code must not get the operator's identity: the agent starts from an environment of
 * its own ({@link AgentEnvironment}), and as root each VM gets an account of its own for its
 * servers ({@link VmAccounts}) with its directory closed to every other VM ({@link LocalVmDirectory}).
 * An agent that exited by itself is FAILED with its own last words as the reason.
 */
public final class LocalDriver implements IaasDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDriver.class);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Path workDir;
  private final AgentLauncher launcher;
  private final LocalIsolation isolation;
  private final Map<String, String> operatorEnv;
  private final LocalNetworkSettings network;
  private final IsolatedVms isolatedVms;

  /** A local cloud isolated as this process can (per-VM accounts when root), without development settings. */
  public LocalDriver(Path workDir, AgentLauncher launcher) {
    this(workDir, launcher, LocalIsolation.forThisProcess(false));
  }

  public LocalDriver(Path workDir, AgentLauncher launcher, LocalIsolation isolation) {
    this(workDir, launcher, isolation, System.getenv());
  }

  /** operatorEnv: the environment the allow-listed variables (PATH, locale) are taken from. */
  LocalDriver(Path workDir, AgentLauncher launcher, LocalIsolation isolation, Map<String, String> operatorEnv) {
    this(workDir, launcher, isolation, operatorEnv, LocalNetworkSettings.defaults());
  }

  /**
   * network: whether every VM gets a network namespace of its own (VMs tagged for a VPN always
   * do) and the Cloud's underlay block; IllegalArgumentException for a bad block.
   */
  public LocalDriver(Path workDir, AgentLauncher launcher, LocalIsolation isolation, LocalNetworkSettings network) {
    this(workDir, launcher, isolation, System.getenv(), network);
  }

  LocalDriver(Path workDir, AgentLauncher launcher, LocalIsolation isolation, Map<String, String> operatorEnv,
      LocalNetworkSettings network) {
    this.workDir = workDir;
    this.launcher = launcher;
    this.isolation = isolation;
    this.operatorEnv = Map.copyOf(operatorEnv);
    this.network = network;
    this.isolatedVms = new IsolatedVms(workDir, new NetworkNamespaces(
        Underlay.of(network.network(), workDir.toAbsolutePath().normalize().toString())));
  }

  /** The Cloud's underlay (its isolated agents' network, held by the host's veth into it). */
  @Override
  public java.util.List<String> underlayNetworks() {
    return java.util.List.of(isolatedVms.underlay().cidr());
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
    prepareWorkDir();
    vm.writeMeta(request.clientToken(), request.name(), request.tags(), Instant.now());
    vm.writeContext(request.contextualization());
    Optional<String> account = Optional.empty();
    if (isolation.vmAccounts()) {
      account = Optional.of(VmAccounts.nameFor(vm.instanceId()));
      VmAccounts.ensure(account.get(), vm.path());
    }
    vm.seal(account);
    // A network of its own: on request, and always for a VM of a VPN (its interface never lands on the host).
    boolean isolate = network.isolateAll() || "true".equals(request.tags().get(VmTags.VPN));
    Optional<String> address = isolate ? Optional.of(isolatedVms.isolate(vm)) : Optional.empty();
    List<String> command = new ArrayList<>();
    // A session of its own, so the agent outlives the operator (a VM does not die with it).
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    if (isolate) {
      command.addAll(NetworkNamespaces.execIn(vm.instanceId()));
    }
    command.addAll(launcher.command(vm.contextFile()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(vm.path().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(vm.logFile().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(AgentEnvironment.of(operatorEnv, vm, account, isolation.allowUnisolatedRoles()));
    IsolatedVms.environment(pb.environment(), vm, address);
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
  public synchronized List<VmObservation> list(String clusterId) {
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
    prepareWorkDir();
    if (!Files.isWritable(workDir)) {
      throw new CloudException("WorkDirUnusable", workDir + " is not writable", false);
    }
    if (isolation.vmAccounts()) {
      VmAccounts.sweep();
    }
    // Not an error of the Cloud: agents without servers (HelloWorldService) run anyway; an agent
    // whose servers need the way exits at start and says so in its Agent's status.
    unreachableAncestor().ifPresent(p -> LOG.warn("local VMs' servers run as accounts of their own and cannot "
        + "pass through {} to their directories under {}: PhpService, JavaService and MysqlService agents will "
        + "refuse to start; chmod o+x {} or use another workDir (e.g. the default /var/lib/conpaas/local)",
        p, workDir, p));
  }

  /**
   * Creates the work dir: directories it creates can be entered, not listed, by others (rwx--x--x)
   * when VMs have accounts of their own, who must pass through them to their VM's directory;
   * otherwise only the operator's user enters them.
   */
  private void prepareWorkDir() {
    Path abs = workDir.toAbsolutePath().normalize();
    java.nio.file.attribute.FileAttribute<?> mode = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString(isolation.vmAccounts() ? "rwx--x--x" : "rwx------"));
    try {
      List<Path> missing = new ArrayList<>();
      for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
        missing.add(0, p);
      }
      for (Path p : missing) {
        try {
          Files.createDirectory(p, mode);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // Created meanwhile by another driver.
        }
      }
    } catch (IOException e) {
      throw new CloudException("WorkDirUnusable", "cannot create " + workDir + ": " + e.getMessage(), false, e);
    }
  }

  /** With VM accounts: the first directory on the way to the work dir that others cannot enter. */
  Optional<Path> unreachableAncestor() {
    if (!isolation.vmAccounts()) {
      return Optional.empty();
    }
    for (Path p = workDir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      try {
        if (Files.exists(p)
            && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          return Optional.of(p);
        }
      } catch (IOException e) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
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
        // A VM's servers (nginx, php-fpm, ...) die with it, as they would with a real VM; servers
        // that left the process tree are still in the agent's session.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        ProcessSessions.members(p.pid()).filter(m -> m.pid() != p.pid()).forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        LOG.info("killed local VM {} (pid {})", id, p.pid());
      });
      // The directory stays until the process is gone, so list() reports TERMINATING meanwhile.
      reapIfDead(vm);
    }
  }

  /**
   * Terminates every VM under this work dir, whatever its cluster, and waits (at most wait) until
   * each is reaped: its processes, everything still running in its network namespace (wireguard-go,
   * a test's probe), the namespace, its account and directory; then the Cloud's bridge namespace and
   * host veth, also when no VM is left to take them along. For the exit of a process that ran agents
   * which must not outlive it (a test JVM); returns how many VMs are still there.
   */
  public int terminateAll(java.time.Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    terminate(vmDirectories().stream().map(LocalVmDirectory::instanceId).toList());
    List<LocalVmDirectory> left = vmDirectories();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      // Listing reaps (processes killed by terminate may take a moment to die).
      list("");
      left = vmDirectories();
      if (!left.isEmpty()) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (left.isEmpty()) {
      isolatedVms.releaseUnderlay();
    }
    return left.size();
  }

  private synchronized List<LocalVmDirectory> vmDirectories() {
    if (!Files.isDirectory(workDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(workDir)) {
      return dirs.map(LocalVmDirectory::new).filter(LocalVmDirectory::exists).toList();
    } catch (IOException e) {
      return List.of();
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
    // An isolated VM is reached at its namespace's address, others on the host's loopback.
    String host = isolatedVms.addressOf(vm).orElse("127.0.0.1");
    String endpoint = alive ? vm.port().map(p -> host + ":" + p).orElse(null) : null;
    AgentExit exit = state == VmState.FAILED ? AgentExit.of(vm.exitFile(), vm.logFile()) : null;
    return Optional.of(new VmObservation(vm.instanceId(), meta.getProperty("clientToken"),
        meta.getProperty("name"), LocalVmDirectory.tags(meta), state, host, host,
        endpoint, Instant.parse(meta.getProperty("createdAt")), exit == null ? null : exit.reason(),
        exit != null && exit.permanent()));
  }

  private static String tail(Path log, int lines) {
    try {
      return String.join("\n", io.conpaas.iaas.LogTail.lastLines(log, lines));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private boolean reapIfDead(LocalVmDirectory vm) {
    if (liveProcess(vm).isPresent()) {
      return false;
    }
    // Orphans of the VM's servers (e.g. a php-fpm worker forked while its master was killed).
    List<ProcessHandle> orphans = vmProcesses(vm).toList();
    if (!orphans.isEmpty()) {
      orphans.forEach(ProcessHandle::destroyForcibly);
      return false;
    }
    if (!isolatedVms.release(vm)) {
      return false;
    }
    vm.delete();
    if (isolation.vmAccounts()) {
      VmAccounts.remove(VmAccounts.nameFor(vm.instanceId()));
    }
    return true;
  }

  /**
   * Processes of a dead agent that still run: servers left in the agent's session (root-owned
   * nginx/php-fpm masters reparented to init, which would respawn killed workers and keep the VM
   * TERMINATING) and anything running as the VM's own account, which must go before the account
   * does (a later account with the same uid would inherit it).
   */
  private Stream<ProcessHandle> vmProcesses(LocalVmDirectory vm) {
    // While a session member lives its id cannot be reused, so a live process with the agent's pid
    // that is not the agent (a recycled pid) means no member of the agent's session is left.
    Stream<ProcessHandle> session = vm.pid()
        .filter(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty())
        .map(ProcessSessions::members).orElseGet(Stream::empty);
    if (!isolation.vmAccounts()) {
      return session;
    }
    String account = VmAccounts.nameFor(vm.instanceId());
    Stream<ProcessHandle> owned = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().user().map(account::equals).orElse(false));
    return Stream.concat(session, owned).distinct();
  }

  /** The VM's process if it is alive and really ours (a recycled pid runs something else). */
  private static Optional<ProcessHandle> liveProcess(LocalVmDirectory vm) {
    return vm.pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(p ->
        p.info().commandLine().map(cmd -> cmd.contains(vm.instanceId())).orElse(true));
  }
}
