package io.conpaas.iaas;

import java.time.Instant;
import java.util.Map;

/**
 * One VM as the cloud reports it. agentEndpoint is host:port of the agent's HTTPS server when
 * known (null while it is not).
 */
public record VmObservation(String instanceId, String clientToken, String name,
    Map<String, String> tags, VmState state, String publicAddress, String privateAddress,
    String agentEndpoint, Instant createdAt) {

  public VmObservation {
    tags = Map.copyOf(tags);
  }
}
