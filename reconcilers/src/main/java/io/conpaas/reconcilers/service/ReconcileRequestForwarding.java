package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.reconcilers.model.ReconcileRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.Map;

/**
 * "Reconcile now" for a service reaches its Agents too: the service's request annotation is copied onto
 * each live Agent that does not carry the same value, whose own reconciler then runs at once.
 */
final class ReconcileRequestForwarding {
  private ReconcileRequestForwarding() {}

  static void toAgents(KubernetesClient client, ServiceResource<?> service, Collection<Agent> agents) {
    String value = ReconcileRequest.of(service).orElse(null);
    if (value == null) {
      return;
    }
    String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations",
        Map.of(ApiConstants.ANNOTATION_RECONCILE_REQUESTED_AT, value))));
    for (Agent a : agents) {
      if (a.getMetadata().getDeletionTimestamp() != null || value.equals(ReconcileRequest.of(a).orElse(null))) {
        continue;
      }
      try {
        client.resources(Agent.class).inNamespace(a.getMetadata().getNamespace()).withName(a.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      } catch (KubernetesClientException e) {
        // Gone meanwhile: nothing to reconcile.
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }
}
