package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.MysqlRoleKeys;
import java.util.Optional;

/** Where the Agent reconciler reads the credentials an agent must receive (a Secret of its namespace). */
public interface CredentialSource {
  /** The credentials in the Secret, versioned by the Secret's resourceVersion; empty when it does not exist. */
  Optional<MysqlRoleKeys.Credentials> read(String namespace, String secretName);
}
