package io.conpaas.operator.rig;

import java.util.List;

/** A fake cloud's instances as the hypervisor rig sees them, and how it reports a booted agent. */
public interface FakeCloud {
  /** A live (not terminated) instance and the contextualization it was started with. */
  record Instance(String id, byte[] contextualization) {}

  List<Instance> liveInstances();

  /** The agent of the instance listens on endpoint (127.0.0.1:port): tell the operator's driver. */
  void agentStarted(String instanceId, String endpoint);
}
