package io.conpaas.api.v1alpha1;

/** Names shared by every ConPaaS resource: API group, version, labels, finalizers. */
public final class ApiConstants {
  public static final String GROUP = "conpaas.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String LABEL_APPLICATION = GROUP + "/application";
  public static final String LABEL_SERVICE = GROUP + "/service";
  public static final String LABEL_ROLE = GROUP + "/role";
  public static final String LABEL_SERVICE_KIND = GROUP + "/service-kind";

  /** "Reconcile now": changing this annotation (any value, e.g. a timestamp) makes the operator reconcile the object. */
  public static final String ANNOTATION_RECONCILE_REQUESTED_AT = GROUP + "/reconcile-requested-at";

  public static final String FINALIZER_VM = GROUP + "/release-vm";
  public static final String FINALIZER_SERVICE = GROUP + "/release-agents";

  private ApiConstants() {}
}
