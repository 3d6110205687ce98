package io.conpaas.operator.rig;

import io.conpaas.iaas.opennebula.OneContractServer;
import java.util.List;

/** The OpenNebula contract server as the rig sees it: VMs not DONE, their CONTEXT, RUNNING once booted. */
public final class OpenNebulaCloud implements FakeCloud {
  private static final int DONE = 6;
  private final OneContractServer server;

  public OpenNebulaCloud(OneContractServer server) {
    this.server = server;
  }

  @Override
  public List<Instance> liveInstances() {
    return server.vms().stream().filter(vm -> vm.state() != DONE)
        .map(vm -> new Instance(vm.instanceId(), vm.contextualization(), null, vm.context())).toList();
  }

  @Override
  public void agentStarted(String instanceId, String endpoint) {
    int id = Integer.parseInt(instanceId);
    server.setUserAttribute(id, "CONPAAS_AGENT_ENDPOINT", endpoint);
    server.running(id, "127.0.0.1");
  }
}
