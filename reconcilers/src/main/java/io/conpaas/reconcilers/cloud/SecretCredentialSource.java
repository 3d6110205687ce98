package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.iaas.CloudException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Secret named by Cloud.spec.credentialsSecretRef (namespace defaults to the
 * operator's). Values stay in memory only: never logged, never copied to status or events.
 */
public final class SecretCredentialSource implements CredentialSource {
  private final KubernetesClient client;
  private final String operatorNamespace;

  public SecretCredentialSource(KubernetesClient client, String operatorNamespace) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
  }

  @Override
  public CloudCredentials forCloud(Cloud cloud) {
    SecretRef ref = cloud.getSpec().getCredentialsSecretRef();
    if (ref == null || ref.getName() == null) {
      return CloudCredentials.NONE;
    }
    String ns = ref.getNamespace() == null || ref.getNamespace().isBlank() ? operatorNamespace : ref.getNamespace();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new CloudException("CredentialsUnreadable", "cannot read Secret " + ns + "/" + ref.getName()
          + " (HTTP " + e.getCode() + ")", true, e);
    }
    if (secret == null) {
      throw new CloudException("CredentialsNotFound", "Secret " + ns + "/" + ref.getName() + " not found", true);
    }
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return new CloudCredentials(values, secret.getMetadata().getResourceVersion());
  }
}
