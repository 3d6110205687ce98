package io.conpaas.reconcilers.mysql;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;

/**
 * Whether the operator may watch Secrets (label-selected) in every namespace it reconciles: the
 * chart grants that only where Secret access was asked for (watchNamespaces, or
 * serviceSecrets.clusterWide), so the answer comes from the API server, not from a setting.
 */
public final class SecretWatchScope {
  private SecretWatchScope() {}

  /** True when list and watch of Secrets are allowed in each namespace (all of them when the set is empty). */
  public static boolean canWatch(KubernetesClient client, Set<String> namespaces) {
    List<String> scopes = namespaces.isEmpty() ? List.of("") : List.copyOf(namespaces);
    for (String ns : scopes) {
      for (String verb : List.of("list", "watch")) {
        if (!allowed(client, ns, verb)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean allowed(KubernetesClient client, String namespace, String verb) {
    SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
        new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
            .withNamespace(namespace).withVerb(verb).withResource("secrets").withGroup("")
            .endResourceAttributes().endSpec().build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }
}
