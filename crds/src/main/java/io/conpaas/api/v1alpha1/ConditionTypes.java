package io.conpaas.api.v1alpha1;

/** The condition types every ConPaaS resource reports (Kubernetes API conventions). */
public final class ConditionTypes {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private ConditionTypes() {}
}
