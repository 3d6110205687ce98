package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Agent;
import java.util.Map;

/** Agent names are {@code <service>-<role>-<index>}: an Agent is a numbered slot of its role. */
public final class AgentNames {
  public static final String INDEX_LABEL = "conpaas.io/index";

  private AgentNames() {}

  public static String name(String service, String role, int index) {
    return service + "-" + role + "-" + index;
  }

  /** The slot index of an Agent (from its label), or -1 when it has none. */
  public static int index(Agent agent) {
    Map<String, String> labels = agent.getMetadata().getLabels();
    String v = labels == null ? null : labels.get(INDEX_LABEL);
    try {
      return v == null ? -1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
