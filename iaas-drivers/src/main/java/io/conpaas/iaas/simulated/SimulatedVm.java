package io.conpaas.iaas.simulated;

import java.time.Instant;
import java.util.Map;

/**
 * One simulated VM as its cloud records it: fixed at creation, including whether it will fail to
 * boot (drawn once, so a restarted operator sees the same fate). terminatedAt is null while it lives.
 */
public record SimulatedVm(String instanceId, String clientToken, String name, Map<String, String> tags,
    String instanceType, Instant createdAt, String address, boolean failsToBoot, Instant terminatedAt) {

  public SimulatedVm {
    tags = Map.copyOf(tags);
  }

  SimulatedVm terminated(Instant at) {
    return new SimulatedVm(instanceId, clientToken, name, tags, instanceType, createdAt, address, failsToBoot, at);
  }

  /** The same VM with more tags (later values win). */
  SimulatedVm withTags(Map<String, String> more) {
    Map<String, String> merged = new java.util.TreeMap<>(tags);
    merged.putAll(more);
    return new SimulatedVm(instanceId, clientToken, name, merged, instanceType, createdAt, address, failsToBoot,
        terminatedAt);
  }

  boolean live() {
    return terminatedAt == null;
  }
}
