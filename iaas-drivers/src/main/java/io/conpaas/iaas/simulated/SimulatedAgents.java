package io.conpaas.iaas.simulated;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Where a simulated cloud's agents run: started when their VM boots, stopped when it goes. The
 * operator plugs in a listener that answers the real agent protocol; {@link #NONE} runs nothing.
 */
public interface SimulatedAgents {
  /**
   * Serves vm's agent from bootAt on (idempotent per instance id: a VM already served keeps its
   * state), with its contextualization document and a directory for what the agent keeps.
   * Returns host:port of the agent.
   */
  String start(SimulatedVm vm, byte[] contextualization, Path agentDir, int port, Instant bootAt);

  /**
   * Makes the agent of instanceId wait delay before each answer (a slow VM; zero: none). Applies to the
   * agents already served, so a changed Cloud spec slows or speeds up its running VMs.
   */
  default void answerDelay(String instanceId, java.time.Duration delay) {}

  /** Stops serving the agent of instanceId (nothing when it is not served). */
  void stop(String instanceId);

  /** Runs no agent: VMs boot but nothing answers at their endpoint. */
  SimulatedAgents NONE = new SimulatedAgents() {
    @Override
    public String start(SimulatedVm vm, byte[] contextualization, Path agentDir, int port, Instant bootAt) {
      return vm.address() + ":" + port;
    }

    @Override
    public void stop(String instanceId) {}
  };
}
