package io.conpaas.operator.rig;

import java.util.Map;
import java.util.Set;

/** What the hypervisor rig starts for a fake cloud's instance: an agent process or a real VM. */
public interface InstanceBooter extends AutoCloseable {
  /** Starts the instance's machine (idempotent per instance id). */
  void boot(FakeCloud.Instance instance);

  /** Where the agents of booted instances can be reached, for those where that is known (one pass). */
  Map<String, String> endpoints();

  /** Stops the instance's machine and removes what it left. */
  void kill(String instanceId);

  /** Instances started and not killed. */
  Set<String> booted();

  @Override
  void close();
}
