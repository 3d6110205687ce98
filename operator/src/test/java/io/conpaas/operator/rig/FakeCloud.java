package io.conpaas.operator.rig;

import java.util.List;
import java.util.Map;

/** A fake cloud's instances as the hypervisor rig sees them, and how it reports a booted agent. */
public interface FakeCloud {
  /**
   * A live (not terminated) instance and the contextualization it was started with, plus what the
   * cloud itself keeps for it, for rigs that boot the real image: EC2's user data exactly as stored
   * (base64, as DescribeInstanceAttribute returns it) or OpenNebula's CONTEXT attributes.
   */
  record Instance(String id, byte[] contextualization, String userDataBase64, Map<String, String> oneContext) {
    public Instance(String id, byte[] contextualization) {
      this(id, contextualization, null, Map.of());
    }
  }

  List<Instance> liveInstances();

  /** The agent of the instance listens on endpoint (127.0.0.1:port): tell the operator's driver. */
  void agentStarted(String instanceId, String endpoint);
}
