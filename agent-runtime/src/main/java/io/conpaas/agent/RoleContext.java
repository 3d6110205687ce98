package io.conpaas.agent;

import java.nio.file.Path;

/**
 * Where a role lives: the agent's name, the directory it may keep files in (the VM's own
 * directory on the local cloud) and the address its servers bind to (the agent's own).
 */
public record RoleContext(String agentName, Path workDir, String bindAddress) {
  public RoleContext {
    workDir = workDir.toAbsolutePath().normalize();
  }

  /** The role's own directory under the work dir, e.g. {@code <workDir>/proxy}; created on demand. */
  public Path roleDir(String roleName) {
    return workDir.resolve(roleName);
  }
}
