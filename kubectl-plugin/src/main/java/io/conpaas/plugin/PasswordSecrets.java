package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The Secret holding a MySQL service's password: reset-password writes its key {@value #KEY} and
 * nothing else (a merge patch; the operator's other keys stay), plus the label {@value #LABEL} that
 * makes the operator notice. Errors are redacted: the password never reaches a message.
 */
final class PasswordSecrets {
  static final String KEY = "password";
  /** The label of Secrets the operator watches for a MySQL service: its value is the service's name. */
  static final String LABEL = "conpaas.io/mysql-service";
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;

  PasswordSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sets {@code password} in Secret {@code name} of service {@code s}, creating the Secret (with
   * that key and the label only) when missing. Refuses a Secret labelled for another service.
   * Returns the Secret as written.
   */
  Secret setPassword(ServiceObject s, String name, String password) {
    String encoded = encode(password);
    Resource<Secret> r = client.secrets().inNamespace(s.namespace()).withName(name);
    try {
      for (int attempt = 1; ; attempt++) {
        Secret current = r.get();
        if (current == null) {
          try {
            return client.resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(s.namespace())
                    .withLabels(Map.of(LABEL, s.name())).build())
                .withType("Opaque").withData(Map.of(KEY, encoded)).build())
                .create(); // its field manager is the user agent's product: kubectl-conpaas
          } catch (KubernetesClientException e) {
            if (e.getCode() != 409 || attempt >= ATTEMPTS) {
              throw e;
            }
            continue; // created meanwhile (by the operator): patch it
          }
        }
        String owner = current.getMetadata().getLabels() == null ? null : current.getMetadata().getLabels().get(LABEL);
        if (owner != null && !owner.equals(s.name())) {
          throw new CliException("Secret " + name + " belongs to mysqlservice/" + owner + " (label " + LABEL
              + "); nothing was changed");
        }
        PatchContext ctx = PatchContext.of(PatchType.JSON_MERGE);
        ctx.setFieldManager(ServicePatcher.FIELD_MANAGER);
        return r.patch(ctx, Patches.secretKey(LABEL, s.name(), KEY, encoded));
      }
    } catch (KubernetesClientException e) {
      throw redacted(e, password, encoded);
    }
  }

  /**
   * The resourceVersion of Secret {@code name} now, which still holds {@code password} (the operator
   * may have added other keys since the reset); null when the user may not read the Secret. Fails
   * when the Secret is gone or holds another password.
   */
  String versionHolding(String namespace, String name, String password) {
    Secret now;
    try {
      now = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return null;
      }
      throw redacted(e, password, encode(password));
    }
    if (now == null) {
      throw new CliException("Secret " + name + " was deleted while waiting for the agents; the operator "
          + "recreates it with a random password: reset the password again");
    }
    String value = now.getData() == null ? null : now.getData().get(KEY);
    if (value == null
        || !Arrays.equals(Base64.getDecoder().decode(value), password.getBytes(StandardCharsets.UTF_8))) {
      throw new CliException("the password in Secret " + name + " was changed again while waiting for the "
          + "agents; they will use the newest one");
    }
    return now.getMetadata().getResourceVersion();
  }

  /** {@code text} with every occurrence of {@code secrets} replaced by "***". */
  static String redact(String text, String... secrets) {
    String t = text == null ? "" : text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        t = t.replace(secret, "***");
      }
    }
    return t;
  }

  private static String encode(String password) {
    return Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
  }

  /** The one error line, as a CliException without the cause (whose message or stack could hold the password). */
  private static CliException redacted(KubernetesClientException e, String password, String encoded) {
    return new CliException(redact(ErrorMessages.describe(e), password, encoded));
  }
}
