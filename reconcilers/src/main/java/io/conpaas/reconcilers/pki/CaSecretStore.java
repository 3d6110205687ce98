package io.conpaas.reconcilers.pki;

import io.conpaas.api.v1alpha1.Agent;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the CA in a Secret of the operator's namespace: created on first start, read on every
 * later one, so agents started before a restart are still trusted after it. A missing or
 * different CA while Agents have VMs is refused: their agents trust only the CA they booted with
 * (recorded as status.caFingerprint), so a new one would cut the operator off from all of them.
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

  /**
   * The stored CA, or a new one when there is none and no Agent in the namespaces (empty: all)
   * has a VM; refuses (IllegalStateException, one line) when the CA is missing or is not the one
   * those Agents' VMs trust.
   */
  public CertificateAuthority loadForAgents(Set<String> namespaces) {
    List<Agent> withVms = agents(namespaces).stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getInstanceId() != null).toList();
    Secret existing = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
    if (existing == null && !withVms.isEmpty()) {
      throw new IllegalStateException("refusing to start: the CA Secret " + namespace + "/" + SECRET_NAME
          + " is missing but " + withVms.size() + " Agent(s) have VMs whose agents trust only the CA it held (e.g. "
          + name(withVms.get(0)) + "); restore the Secret from a backup, or delete those Agents first");
    }
    if (existing == null) {
      return loadOrCreate();
    }
    CertificateAuthority ca = fromSecret(existing);
    String mine = fingerprint(ca);
    List<Agent> others = withVms.stream().filter(a -> a.getStatus().getCaFingerprint() != null
        && !a.getStatus().getCaFingerprint().equals(mine)).toList();
    if (!others.isEmpty()) {
      throw new IllegalStateException("refusing to start: the CA Secret " + namespace + "/" + SECRET_NAME
          + " holds a CA (sha256 " + mine + ") other than the one " + others.size() + " Agent(s) with VMs trust (e.g. "
          + name(others.get(0)) + ": sha256 " + others.get(0).getStatus().getCaFingerprint()
          + "); restore the original Secret, or delete those Agents first");
    }
    return ca;
  }

  /** SHA-256 of the CA certificate (hex), as Agents record the CA their VM trusts. */
  public static String fingerprint(CertificateAuthority ca) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(ca.certificatePem().trim().getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Agent> agents(Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      return client.resources(Agent.class).inAnyNamespace().list().getItems();
    }
    List<Agent> all = new ArrayList<>();
    for (String ns : namespaces) {
      all.addAll(client.resources(Agent.class).inNamespace(ns).list().getItems());
    }
    return all;
  }

  private static String name(Agent a) {
    return a.getMetadata().getNamespace() + "/" + a.getMetadata().getName();
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
