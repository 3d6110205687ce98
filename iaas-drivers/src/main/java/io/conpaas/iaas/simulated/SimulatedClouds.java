package io.conpaas.iaas.simulated;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated clouds of one operator: each opened once per state directory and shared by every
 * driver built for it (a Cloud's driver is rebuilt when its spec changes; its VMs must not notice),
 * with the agents that serve their VMs. Owned by one operator instance rather than the JVM, so that
 * two operators in one process (the crash-point sweep's worlds) and a restarted operator each see
 * the clouds as a new process would: read back from their journals.
 */
public final class SimulatedClouds implements AutoCloseable {
  private final SimulatedAgents agents;
  private final Map<Path, SimulatedCloud> open = new ConcurrentHashMap<>();

  public SimulatedClouds(SimulatedAgents agents) {
    this.agents = agents;
  }

  /** The cloud kept in dir, opened (its journal read back) the first time it is asked for. */
  SimulatedCloud open(Path dir) {
    return open.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new SimulatedCloud(k, agents));
  }

  SimulatedAgents agents() {
    return agents;
  }

  /**
   * Closes the journals and forgets the clouds, as the end of the operator's process does; stopping
   * the agents is the job of whoever made them (the listener outlives no operator of its own).
   */
  @Override
  public void close() {
    open.values().forEach(SimulatedCloud::closeJournal);
    open.clear();
  }
}
