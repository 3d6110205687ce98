package io.conpaas.operator.rig;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Plays the hypervisor for a fake cloud (moto, the OpenNebula contract server): boots a real
 * agent process from each new instance's contextualization, reports where it listens, and kills
 * it when the instance goes. So a driver test runs the whole path: contextualization → agent
 * boot → mutual-TLS health → RUNNING.
 */
public final class HypervisorRig implements AutoCloseable {
  private static final String RIG_CLUSTER = "hypervisor-rig";

  private final FakeCloud cloud;
  private final LocalDriver processes;
  private final Map<String, String> booted = new ConcurrentHashMap<>();
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean running = true;

  public HypervisorRig(FakeCloud cloud, Path workDir, AgentLauncher launcher) {
    this.cloud = cloud;
    // Tests run by a normal user are development: their PHP/Java/MySQL agents run unisolated.
    this.processes = new LocalDriver(workDir, launcher,
        io.conpaas.iaas.local.LocalIsolation.forThisProcess(!io.conpaas.iaas.local.LocalIsolation.runningAsRoot()));
    this.loop = new Thread(this::run, "hypervisor-rig");
    loop.setDaemon(true);
    loop.start();
  }

  /** Instances whose agent process the rig started and has not killed. */
  public Set<String> bootedInstances() {
    return Set.copyOf(booted.keySet());
  }

  private void run() {
    while (running) {
      try {
        step();
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The fake cloud may be restarting or reset between tests: try again next round.
      }
    }
  }

  private void step() {
    List<FakeCloud.Instance> live = cloud.liveInstances();
    Set<String> liveIds = live.stream().map(FakeCloud.Instance::id).collect(Collectors.toSet());
    for (FakeCloud.Instance instance : live) {
      booted.computeIfAbsent(instance.id(), id -> processes.create(new VmRequest("rig-" + id, id,
          Map.of(VmTags.CLUSTER, RIG_CLUSTER), null, instance.contextualization())).instanceId());
    }
    Map<String, VmObservation> local = processes.list(RIG_CLUSTER).stream()
        .collect(Collectors.toMap(VmObservation::instanceId, vm -> vm));
    for (Map.Entry<String, String> e : booted.entrySet()) {
      VmObservation vm = local.get(e.getValue());
      if (!announced.contains(e.getKey()) && vm != null && vm.agentEndpoint() != null) {
        cloud.agentStarted(e.getKey(), vm.agentEndpoint());
        announced.add(e.getKey());
      }
    }
    for (String gone : new HashSet<>(booted.keySet())) {
      if (!liveIds.contains(gone)) {
        processes.terminate(List.of(booted.remove(gone)));
        announced.remove(gone);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
    processes.terminate(processes.list(RIG_CLUSTER).stream().map(VmObservation::instanceId).toList());
  }
}
