package io.conpaas.operator;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The default cluster id tagged on every VM: {@code k8s-} and the first 12 hex digits of the
 * kube-system namespace's UID, which is fixed for a cluster's life and differs between clusters,
 * so two installations sharing one cloud account never take each other's VMs for orphans.
 */
public final class ClusterIdentity {
  static final String SYSTEM_NAMESPACE = "kube-system";

  private ClusterIdentity() {}

  /** The derived id; throws IllegalStateException (with the setting to use instead) when it cannot be read. */
  public static String derive(KubernetesClient client) {
    Namespace ns;
    try {
      ns = client.namespaces().withName(SYSTEM_NAMESPACE).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot read namespace " + SYSTEM_NAMESPACE + " to derive the cluster id ("
          + e.getMessage() + "): set clusterId (CONPAAS_CLUSTER_ID)", e);
    }
    if (ns == null || ns.getMetadata().getUid() == null) {
      throw new IllegalStateException("namespace " + SYSTEM_NAMESPACE + " not found, so no cluster id can be "
          + "derived: set clusterId (CONPAAS_CLUSTER_ID)");
    }
    return fromUid(ns.getMetadata().getUid());
  }

  /** k8s- and the UID's first 12 hex digits (48 bits: collisions between clusters are not a concern). */
  static String fromUid(String uid) {
    String hex = uid.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    return "k8s-" + hex.substring(0, Math.min(12, hex.length()));
  }
}
