package io.conpaas.reconcilers.model;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds Kubernetes-shaped conditions, keeping lastTransitionTime while a status holds. */
public final class Conditions {
  private Conditions() {}

  /** The condition as it should be now, given the list it replaces. */
  public static Condition of(List<Condition> previous, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    String s = status ? "True" : "False";
    String since = previous == null ? null : previous.stream()
        .filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime).filter(Objects::nonNull).findFirst().orElse(null);
    return new ConditionBuilder().withType(type).withStatus(s).withReason(reason)
        .withMessage(message == null ? "" : message).withObservedGeneration(generation)
        .withLastTransitionTime(since != null ? since : now.toString()).build();
  }

  /** True when the list has the type with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return conditions != null && conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether the condition of type is True with this reason. */
  public static boolean hasReason(List<Condition> conditions, String type, String reason) {
    return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType())
        && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  public static List<Condition> list(Condition... conditions) {
    return new ArrayList<>(List.of(conditions));
  }
}
