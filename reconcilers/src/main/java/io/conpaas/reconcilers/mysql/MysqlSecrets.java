package io.conpaas.reconcilers.mysql;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.reconcilers.agent.CredentialSource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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
 *
 * <p>The operator touches only Secrets labelled {@value #SERVICE_LABEL}{@code =<service>}: those it
 * created (which also carry an owner reference to the service, so they go with it) and those
 * their owner labelled for the service. Anyone may name any Secret of the namespace in
 * {@code passwordSecretRef}; without the label, someone who cannot read Secrets could otherwise
 * have the operator copy another Secret's {@code password} into agents they control.
 */
public final class MysqlSecrets implements CredentialSource {
  public static final String PASSWORD = "password";
  public static final String REPLICATION_PASSWORD = "replicationPassword";
  /**
   * Marks the Secrets the operator may use for a MySQL service (value: the service's name), and
   * whose changes trigger that service; set by the operator on Secrets it creates, by
   * {@code kubectl conpaas reset-password}, or by hand by the Secret's owner.
   */
  public static final String SERVICE_LABEL = "conpaas.io/mysql-service";

  private final KubernetesClient client;
  private final SecureRandom random = new SecureRandom();

  public MysqlSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The Secret, created with random passwords (and an owner reference to the service) when
   * missing; a missing replication password is added. Returns its resourceVersion, or throws
   * IllegalStateException naming what is wrong (a Secret not labelled for the service is never changed).
   */
  public String ensure(MysqlService service, String name) {
    String namespace = service.getMetadata().getNamespace();
    String serviceName = service.getMetadata().getName();
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        try {
          s = client.resource(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
              .addToLabels(SERVICE_LABEL, serviceName)
              .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(service.getApiVersion())
                  .withKind(service.getKind()).withName(serviceName).withUid(service.getMetadata().getUid())
                  .build())
              .endMetadata()
              .withStringData(Map.of(PASSWORD, newPassword(), REPLICATION_PASSWORD, newPassword())).build()).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          s = client.secrets().inNamespace(namespace).withName(name).get();
        }
      }
      if (!labelledFor(s, serviceName)) {
        throw new IllegalStateException("Secret " + name + " is not labelled for this service: the operator uses "
            + "only Secrets it created or that their owner labelled " + SERVICE_LABEL + "=" + serviceName
            + " (kubectl label secret " + name + " -n " + namespace + " " + SERVICE_LABEL + "=" + serviceName
            + "); nothing was read or changed");
      }
      if (value(s, PASSWORD).isEmpty()) {
        throw new IllegalStateException("Secret " + name + " has no key " + PASSWORD);
      }
      if (value(s, REPLICATION_PASSWORD).isEmpty()) {
        s = client.secrets().inNamespace(namespace).withName(name).edit(live -> new SecretBuilder(live)
            .addToStringData(REPLICATION_PASSWORD, newPassword()).build());
      }
      return s.getMetadata().getResourceVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new IllegalStateException(noAccess(namespace), e);
      }
      throw e;
    }
  }

  /**
   * The credentials of a Secret labelled for a MySQL service (whichever: a web service's backends
   * may use any database of their namespace), versioned by its resourceVersion; empty when it
   * does not exist, is incomplete, is not labelled, or the operator may not read it.
   */
  @Override
  public Optional<MysqlRoleKeys.Credentials> read(String namespace, String secretName) {
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(secretName).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return Optional.empty();
      }
      throw e;
    }
    if (s == null || labels(s).get(SERVICE_LABEL) == null || value(s, PASSWORD).isEmpty()
        || value(s, REPLICATION_PASSWORD).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new MysqlRoleKeys.Credentials(value(s, PASSWORD).get(), value(s, REPLICATION_PASSWORD).get(),
        s.getMetadata().getResourceVersion()));
  }

  /** The message for a namespace where the chart granted the operator no Secret access (README "Secrets"). */
  static String noAccess(String namespace) {
    return "the operator may not manage Secrets in namespace " + namespace + ", where this service's passwords "
        + "live: add the namespace to the Helm value serviceSecrets.namespaces (or watchNamespaces), or bind the "
        + "ClusterRole <release>-operator-service-secrets to the operator's ServiceAccount there with a RoleBinding";
  }

  private static boolean labelledFor(Secret s, String service) {
    return service.equals(labels(s).get(SERVICE_LABEL));
  }

  private static Map<String, String> labels(Secret s) {
    return s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
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
