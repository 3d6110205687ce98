package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Agent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Optional;

/**
 * Whether an existing Agent that holds a name a service wants belongs to another object. Agent
 * names are {@code <service>-<role>-<index>} without the kind (the API's naming), so a PhpService
 * and a JavaService of one name in one namespace would want the same Agents; the second one is
 * refused with a message instead of waiting forever on Agents it can never own.
 */
public final class AgentClaims {
  private AgentClaims() {}

  /** Why the service cannot own {@code taken}, or empty when it is the service's own (or gone). */
  public static Optional<String> conflict(HasMetadata service, Agent taken) {
    if (taken == null || taken.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    Optional<OwnerReference> controller = taken.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    if (controller.isEmpty() || controller.get().getUid().equals(service.getMetadata().getUid())) {
      return Optional.empty();
    }
    OwnerReference owner = controller.get();
    return Optional.of("Agent " + taken.getMetadata().getName() + " already belongs to " + owner.getKind() + " "
        + owner.getName() + ": services of different kinds in one namespace need different names (rename this "
        + service.getKind() + ")");
  }
}
