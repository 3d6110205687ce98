package io.conpaas.reconcilers.credits;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One VM being charged, as an Agent shows it: its client token (one per VM), its service, when it
 * was created and, for an Agent being deleted, when its release was asked for (null while it runs).
 */
public record VmUse(String token, String kind, String service, Instant start, Instant end) {

  /**
   * The Agent's current VM, if it has one that was created: not before the cloud answered (no
   * vmCreatedAt), not once it failed (its VM is terminated or lost).
   */
  public static Optional<VmUse> of(Agent agent) {
    var st = agent.getStatus();
    if (st == null || st.getClientToken() == null || st.getVmCreatedAt() == null || st.getPhase() == AgentPhase.Failed) {
      return Optional.empty();
    }
    Map<String, String> labels = agent.getMetadata().getLabels() == null ? Map.of() : agent.getMetadata().getLabels();
    String kind = agent.getSpec() != null && agent.getSpec().getServiceKind() != null
        ? agent.getSpec().getServiceKind() : labels.getOrDefault(ApiConstants.LABEL_SERVICE_KIND, "");
    String deleted = agent.getMetadata().getDeletionTimestamp();
    return Optional.of(new VmUse(st.getClientToken(), kind,
        labels.getOrDefault(ApiConstants.LABEL_SERVICE, agent.getMetadata().getName()),
        Instant.parse(st.getVmCreatedAt()), deleted == null ? null : Instant.parse(deleted)));
  }
}
