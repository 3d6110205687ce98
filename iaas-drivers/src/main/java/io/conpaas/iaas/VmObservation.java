package io.conpaas.iaas;

import java.time.Instant;
import java.util.Map;

/**
 * One VM as the cloud reports it. agentEndpoint is host:port of the agent's HTTPS server when
 * known (null while it is not). stateReason says why the cloud reports that state when it knows
 * (e.g. the agent's own last words when it exited at start), else null; permanentFailure marks a
 * FAILED VM whose cause would repeat on a new VM (a configuration error, not a crash), so the
 * operator reports it instead of retrying.
 */
public record VmObservation(String instanceId, String clientToken, String name,
    Map<String, String> tags, VmState state, String publicAddress, String privateAddress,
    String agentEndpoint, Instant createdAt, String stateReason, boolean permanentFailure) {

  public VmObservation {
    tags = Map.copyOf(tags);
  }

  /** A VM whose cloud gives no reason for its state. */
  public VmObservation(String instanceId, String clientToken, String name, Map<String, String> tags, VmState state,
      String publicAddress, String privateAddress, String agentEndpoint, Instant createdAt) {
    this(instanceId, clientToken, name, tags, state, publicAddress, privateAddress, agentEndpoint, createdAt, null,
        false);
  }
}
