package io.conpaas.api.v1alpha1;

/** The condition types every ConPaaS resource reports (Kubernetes API conventions). */
public final class ConditionTypes {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  /** On a Cloud: so many of its agents stopped answering at once that none is replaced. */
  public static final String AGENTS_UNREACHABLE = "AgentsUnreachable";
  /** kstatus (Flux, kpt, cli-utils): True while the object is converging (Current when neither is True). */
  public static final String RECONCILING = "Reconciling";
  /** kstatus: True when the object cannot progress without a change (kstatus "Failed"). */
  public static final String STALLED = "Stalled";

  private ConditionTypes() {}
}
