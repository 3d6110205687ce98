package io.conpaas.reconcilers.pki;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Keeps the CA in a Secret of the operator's namespace: created on first start, read on every
 * later one, so agents started before a restart are still trusted after it.
 */
public final class CaSecretStore {
  public static final String SECRET_NAME = "conpaas-ca";
  private static final String CERT = "ca.crt";
  private static final String KEY = "ca.key";

  private final KubernetesClient client;
  private final String namespace;

  public CaSecretStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The stored CA, or a new one stored now (a concurrent creator wins and is read back). */
  public CertificateAuthority loadOrCreate() {
    Secret existing = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
    if (existing != null) {
      return fromSecret(existing);
    }
    CertificateAuthority ca = CertificateAuthority.generate("conpaas-operator-ca");
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName(SECRET_NAME).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", "conpaas-operator").endMetadata()
        .withType("Opaque")
        .withData(Map.of(CERT, b64(ca.certificatePem()), KEY, b64(ca.privateKeyPem())))
        .build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
      return ca;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return fromSecret(client.secrets().inNamespace(namespace).withName(SECRET_NAME).get());
      }
      throw e;
    }
  }

  private static CertificateAuthority fromSecret(Secret s) {
    Map<String, String> data = s.getData();
    if (data == null || !data.containsKey(CERT) || !data.containsKey(KEY)) {
      throw new IllegalStateException("Secret " + SECRET_NAME + " lacks " + CERT + " or " + KEY);
    }
    return CertificateAuthority.fromPem(unb64(data.get(CERT)), unb64(data.get(KEY)));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.US_ASCII);
  }
}
