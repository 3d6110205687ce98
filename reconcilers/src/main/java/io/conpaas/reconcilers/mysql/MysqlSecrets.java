package io.conpaas.reconcilers.mysql;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.reconcilers.agent.CredentialSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret holding a MySQL service's passwords (manual 2.5.1: a random password for user
 * mysqladb, never shown anywhere but in this Secret). Keys: {@code password} (users may change it:
 * that is the password reset) and {@code replicationPassword} (generated, internal).
 */
public final class MysqlSecrets implements CredentialSource {
  public static final String PASSWORD = "password";
  public static final String REPLICATION_PASSWORD = "replicationPassword";
  /** Marks Secrets whose changes trigger their service (the operator's and the plugin's). */
  public static final String SERVICE_LABEL = "conpaas.io/mysql-service";

  private final KubernetesClient client;
  private final SecureRandom random = new SecureRandom();

  public MysqlSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The Secret, created with random passwords when missing; a missing replication password is
   * added. Returns its resourceVersion, or throws IllegalStateException naming what is wrong.
   */
  public String ensure(String namespace, String name, String service) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null) {
      try {
        s = client.resource(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
            .addToLabels(SERVICE_LABEL, service).endMetadata()
            .withStringData(Map.of(PASSWORD, newPassword(), REPLICATION_PASSWORD, newPassword())).build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        s = client.secrets().inNamespace(namespace).withName(name).get();
      }
      return s.getMetadata().getResourceVersion();
    }
    if (value(s, PASSWORD).isEmpty()) {
      throw new IllegalStateException("Secret " + name + " has no key " + PASSWORD);
    }
    if (value(s, REPLICATION_PASSWORD).isEmpty()) {
      s = client.secrets().inNamespace(namespace).withName(name).edit(live -> new SecretBuilder(live)
          .addToStringData(REPLICATION_PASSWORD, newPassword()).build());
    }
    return s.getMetadata().getResourceVersion();
  }

  @Override
  public Optional<MysqlRoleKeys.Credentials> read(String namespace, String secretName) {
    Secret s = client.secrets().inNamespace(namespace).withName(secretName).get();
    if (s == null || value(s, PASSWORD).isEmpty() || value(s, REPLICATION_PASSWORD).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new MysqlRoleKeys.Credentials(value(s, PASSWORD).get(), value(s, REPLICATION_PASSWORD).get(),
        s.getMetadata().getResourceVersion()));
  }

  private static Optional<String> value(Secret s, String key) {
    String encoded = s.getData() == null ? null : s.getData().get(key);
    if (encoded == null || encoded.isBlank()) {
      return Optional.empty();
    }
    String v = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private String newPassword() {
    byte[] b = new byte[18];
    random.nextBytes(b);
    // URL-safe base64: no quotes, spaces or shell characters in a password people paste.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
