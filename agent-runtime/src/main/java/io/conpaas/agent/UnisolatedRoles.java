package io.conpaas.agent;

import io.conpaas.agent.process.UnusableSetupException;
import java.util.Map;
import java.util.Set;

/**
 * The roles a non-root agent refuses: those that run tenant code or hold tenant data (PHP,
 * servlets, MySQL, and Selenium browsers, which tenants drive to any URL, file:// included). Only a root agent can run them as another account; a non-root one would run
 * them as itself, so the code could read the agent's private key, its context and the files of
 * every other agent of that user (the local cloud run by a normal user). A development setting
 * allows them anyway.
 */
final class UnisolatedRoles {
  /** Set to true by the local cloud for a Cloud with spec.local.allowUnisolatedRoles. */
  static final String ALLOW = "CONPAAS_AGENT_ALLOW_UNISOLATED_ROLES";
  private static final Set<String> TENANT_KINDS = Set.of("PhpService", "JavaService", "MysqlService",
      "SeleniumService", "TaskFarmService", "MapReduceService", "HtcService");

  private UnisolatedRoles() {}

  /** Throws an UnusableSetupException naming the problem and the setting when the role is refused. */
  static void check(String serviceKind, String role, String user, Map<String, String> env) {
    if ("root".equals(user) || !TENANT_KINDS.contains(serviceKind)
        || "true".equalsIgnoreCase(env.getOrDefault(ALLOW, "").strip())) {
      return;
    }
    throw new UnusableSetupException(serviceKind + "/" + role + " refused: the agent runs as " + user
        + ", not root, so tenant code would run as that user and could read the agent's key and other "
        + "agents' files; run the operator as root, or for development only set "
        + "spec.local.allowUnisolatedRoles: true on the Cloud (" + ALLOW + "=true)");
  }
}
