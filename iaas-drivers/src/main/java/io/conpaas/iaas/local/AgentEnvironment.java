package io.conpaas.iaas.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment of a local VM's agent process: built from nothing plus an allow-list, never
 * inherited. The operator's environment holds its identity (KUBECONFIG, cloud credentials such as
 * AWS_*, its own CONPAAS_* settings); the agent and every server it starts would hand it on to
 * tenant code, which on a real VM would never see the operator's environment either.
 */
final class AgentEnvironment {
  /** Variables copied from the operator: how to find programs and which locale to use. Nothing else. */
  private static final Pattern PASSED = Pattern.compile("PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ|CONPAAS_TOMCAT_HOME|CONPAAS_WEED");
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Set for an agent whose roles may run tenant code as the agent's own user (development only). */
  static final String ALLOW_UNISOLATED_ROLES = "CONPAAS_AGENT_ALLOW_UNISOLATED_ROLES";
  /** The account this VM's servers run as (one per local VM when the operator is root). */
  static final String VM_USER = "CONPAAS_AGENT_VM_USER";
  static final String EXIT_FILE = "CONPAAS_AGENT_EXIT_FILE";

  private AgentEnvironment() {}

  /**
   * The whole environment of the agent of vm. operatorEnv is read only for the allow-listed
   * names; vmUser is the VM's own account, if it has one.
   */
  static Map<String, String> of(Map<String, String> operatorEnv, LocalVmDirectory vm, Optional<String> vmUser,
      boolean allowUnisolatedRoles) {
    Map<String, String> env = new TreeMap<>();
    operatorEnv.forEach((k, v) -> {
      if (PASSED.matcher(k).matches()) {
        env.put(k, v);
      }
    });
    env.putIfAbsent("PATH", DEFAULT_PATH);
    Path dir = vm.path().toAbsolutePath();
    env.put("HOME", dir.toString());
    env.put("TMPDIR", vm.tmpDir().toAbsolutePath().toString());
    env.put("CONPAAS_AGENT_BIND", "127.0.0.1");
    env.put("CONPAAS_AGENT_PORT", "0");
    env.put("CONPAAS_AGENT_PORT_FILE", vm.portFile().toAbsolutePath().toString());
    env.put(EXIT_FILE, vm.exitFile().toAbsolutePath().toString());
    vmUser.ifPresent(u -> env.put(VM_USER, u));
    if (allowUnisolatedRoles) {
      env.put(ALLOW_UNISOLATED_ROLES, "true");
    }
    return env;
  }
}
