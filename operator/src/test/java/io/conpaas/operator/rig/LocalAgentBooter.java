package io.conpaas.operator.rig;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.iaas.local.LocalIsolation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Boots each instance as an agent process on this host (a LocalDriver VM) from its contextualization. */
public final class LocalAgentBooter implements InstanceBooter {
  private static final String RIG_CLUSTER = "hypervisor-rig";
  private final LocalDriver processes;
  private final Map<String, String> booted = new ConcurrentHashMap<>();

  public LocalAgentBooter(Path workDir, AgentLauncher launcher) {
    // Tests run by a normal user are development: their PHP/Java/MySQL agents run unisolated.
    this.processes = new LocalDriver(workDir, launcher,
        LocalIsolation.forThisProcess(!LocalIsolation.runningAsRoot()));
  }

  @Override
  public void boot(FakeCloud.Instance instance) {
    booted.computeIfAbsent(instance.id(), id -> processes.create(new VmRequest("rig-" + id, id,
        Map.of(VmTags.CLUSTER, RIG_CLUSTER), null, instance.contextualization())).instanceId());
  }

  @Override
  public Map<String, String> endpoints() {
    Map<String, String> byLocalId = new HashMap<>();
    for (VmObservation vm : processes.list(RIG_CLUSTER)) {
      if (vm.agentEndpoint() != null) {
        byLocalId.put(vm.instanceId(), vm.agentEndpoint());
      }
    }
    Map<String, String> result = new HashMap<>();
    booted.forEach((id, local) -> {
      if (byLocalId.containsKey(local)) {
        result.put(id, byLocalId.get(local));
      }
    });
    return result;
  }

  @Override
  public void kill(String instanceId) {
    String local = booted.remove(instanceId);
    if (local != null) {
      processes.terminate(List.of(local));
    }
  }

  @Override
  public Set<String> booted() {
    return Set.copyOf(booted.keySet());
  }

  @Override
  public void close() {
    processes.terminate(processes.list(RIG_CLUSTER).stream().map(VmObservation::instanceId).toList());
  }
}
