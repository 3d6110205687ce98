package io.conpaas.iaas.simulated;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs of one simulated cloud, shared by every driver built for it by one operator (see
 * {@link SimulatedClouds}). Durable in its journal: when
 * the operator restarts, the VMs are read back and their agents served again, keys and all, as a
 * real cloud's VMs outlive the operator. Each VM gets its own loopback address (127.0.0.0/8 is
 * local on Linux without configuration), derived from the cloud's directory and a counter.
 */
final class SimulatedCloud {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedCloud.class);
  /** VM addresses per cloud: 127.<block>.x.y with 65,534 of them per block. */
  private static final int PER_BLOCK = 65_534;

  private final Path dir;
  private final VmJournal journal;
  private final SimulatedAgents agents;
  private final Map<String, SimulatedVm> vms = new LinkedHashMap<>();
  private final Map<String, String> idByToken = new HashMap<>();
  private final int block;
  private int nextAddress;

  SimulatedCloud(Path dir, SimulatedAgents agents) {
    this.dir = dir;
    this.agents = agents;
    Map<String, SimulatedVm> loaded = new LinkedHashMap<>();
    this.journal = VmJournal.open(dir, loaded);
    this.block = 1 + Math.floorMod(dir.toString().hashCode(), 200);
    vms.putAll(loaded);
    for (SimulatedVm vm : loaded.values()) {
      idByToken.put(vm.clientToken(), vm.instanceId());
      nextAddress = Math.max(nextAddress, addressIndex(vm.address()) + 1);
    }
    deleteLeftoverVmDirectories();
  }

  /** Closes the journal (the operator that opened this cloud ends; see SimulatedClouds). */
  void closeJournal() {
    journal.close();
  }

  /** Serves the agents of the VMs read back from the journal (after an operator restart) that boot. */
  synchronized void adopt(int port, Duration bootTime) {
    for (SimulatedVm vm : vms.values()) {
      if (vm.live() && !vm.failsToBoot()) {
        startAgent(vm, port, bootTime);
      }
    }
  }

  /** The VM started with request's token (created now when there is none yet) and whether it is new. */
  synchronized Created create(VmRequest request, Instant now, double failureRate, int port, Duration bootTime) {
    String existing = idByToken.get(request.clientToken());
    if (existing != null) {
      return new Created(vms.get(existing), false);
    }
    String id = "i-sim" + String.format("%013x", ThreadLocalRandom.current().nextLong() & 0xfffffffffffffL);
    boolean fails = failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate;
    SimulatedVm vm = new SimulatedVm(id, request.clientToken(), request.name(), request.tags(),
        request.instanceType(), now, address(nextAddress++), fails, null);
    Path vmDir = vmDirectory(id);
    writeContext(vmDir, request.contextualization());
    vms.put(id, vm);
    idByToken.put(vm.clientToken(), id);
    journal.recordCreated(vm);
    if (!fails) {
      startAgent(vm, port, bootTime);
    }
    return new Created(vm, true);
  }

  /** A VM and whether this call created it. */
  record Created(SimulatedVm vm, boolean fresh) {}

  /**
   * The live VMs the batch token started (by launch index), or count new ones when it started none:
   * each with its slot's client token and the batch's tags and contextualization, as one
   * RunInstances with MinCount 1 and MaxCount count would.
   */
  synchronized List<SimulatedVm> createBatch(BatchRequest request, Instant now, double failureRate, int port,
      Duration bootTime) {
    List<SimulatedVm> started = vms.values().stream()
        .filter(vm -> vm.live() && request.batchToken().equals(vm.tags().get(VmTags.LAUNCH_BATCH)))
        .sorted(java.util.Comparator.comparingInt(vm -> Integer.parseInt(vm.tags().get(VmTags.LAUNCH_INDEX))))
        .toList();
    if (!started.isEmpty()) {
      return started;
    }
    List<SimulatedVm> out = new ArrayList<>();
    for (int i = 0; i < request.count(); i++) {
      Map<String, String> tags = new LinkedHashMap<>(request.tags());
      tags.put(VmTags.LAUNCH_BATCH, request.batchToken());
      tags.put(VmTags.LAUNCH_INDEX, Integer.toString(i));
      out.add(create(new VmRequest(request.slotToken(i), request.name() + "-" + i, tags, request.instanceType(),
          request.contextualization()), now, failureRate, port, bootTime).vm());
    }
    return out;
  }

  /** Adds tags to a live VM (CreateTags); recorded in the journal before it answers. Unknown ids are ignored. */
  synchronized void label(String instanceId, Map<String, String> tags) {
    SimulatedVm vm = vms.get(instanceId);
    if (vm == null || !vm.live()) {
      return;
    }
    SimulatedVm tagged = vm.withTags(tags);
    journal.recordCreated(tagged);
    vms.put(instanceId, tagged);
  }

  /** The live VMs carrying clusterId, snapshot. */
  synchronized List<SimulatedVm> live(String clusterId) {
    List<SimulatedVm> out = new ArrayList<>();
    for (SimulatedVm vm : vms.values()) {
      if (vm.live() && clusterId.equals(vm.tags().get(VmTags.CLUSTER))) {
        out.add(vm);
      }
    }
    return out;
  }

  /** The ids of every live VM, snapshot. */
  synchronized List<String> liveIds() {
    return vms.values().stream().filter(SimulatedVm::live).map(SimulatedVm::instanceId).toList();
  }

  synchronized int liveCount() {
    return (int) vms.values().stream().filter(SimulatedVm::live).count();
  }

  /** Terminates the live VMs among ids (others are ignored) and forgets them; their agents stop. */
  synchronized void terminate(Collection<String> ids, Instant now) {
    for (String id : ids) {
      SimulatedVm vm = vms.get(id);
      if (vm == null || !vm.live()) {
        continue;
      }
      journal.recordTerminated(id, now);
      agents.stop(id);
      vms.remove(id);
      idByToken.remove(vm.clientToken());
      deleteTree(vmDirectory(id));
    }
  }

  private void startAgent(SimulatedVm vm, int port, Duration bootTime) {
    Path vmDir = vmDirectory(vm.instanceId());
    try {
      byte[] context = Files.readAllBytes(vmDir.resolve("context.json"));
      agents.start(vm, context, vmDir, port, vm.createdAt().plus(bootTime));
    } catch (IOException | RuntimeException e) {
      // Like a VM whose agent never comes up: the operator replaces it after its health timeout.
      LOG.warn("simulated VM {}: agent not started: {}", vm.instanceId(), e.getMessage());
    }
  }

  private Path vmDirectory(String id) {
    return dir.resolve("vms").resolve(id);
  }

  /** The context carries the bootstrap token (a credential until spent): owner-only, as on a real VM. */
  private static void writeContext(Path vmDir, byte[] context) {
    try {
      Files.createDirectories(vmDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = vmDir.resolve("context.json");
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, context);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulated VM's context in " + vmDir, e);
    }
  }

  /** Directories of VMs whose create never reached the journal (a crash in between). */
  private void deleteLeftoverVmDirectories() {
    Path root = dir.resolve("vms");
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> entries = Files.list(root)) {
      entries.filter(p -> !vms.containsKey(p.getFileName().toString())).forEach(SimulatedCloud::deleteTree);
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", root, e.getMessage());
    }
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // Left behind: a later open removes it.
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.getMessage());
    }
  }

  private String address(int index) {
    int b = block + index / PER_BLOCK;
    int i = 1 + index % PER_BLOCK;
    return "127." + (1 + (b - 1) % 254) + "." + (i >> 8) + "." + (i & 255);
  }

  private int addressIndex(String address) {
    String[] p = address.split("\\.");
    int b = Integer.parseInt(p[1]);
    int i = Integer.parseInt(p[2]) * 256 + Integer.parseInt(p[3]) - 1;
    return Math.floorMod(b - block, 254) * PER_BLOCK + i;
  }
}
