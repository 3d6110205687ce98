package io.conpaas.iaas.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a local cloud keeps its VMs apart. vmAccounts: each VM's servers run as an account of its
 * own (needs root, see {@link VmAccounts}). allowUnisolatedRoles: a development setting that lets
 * a non-root agent run roles with tenant code (PHP, servlets, MySQL) as its own user, who can read
 * the agent's key and every other VM's files of the same user; without it such agents refuse to start.
 */
public record LocalIsolation(boolean vmAccounts, boolean allowUnisolatedRoles) {

  /** Per-VM accounts when this process is root (it can create them), and the given development setting. */
  public static LocalIsolation forThisProcess(boolean allowUnisolatedRoles) {
    return new LocalIsolation(runningAsRoot(), allowUnisolatedRoles);
  }

  /** Whether this process runs as root (uid 0). */
  public static boolean runningAsRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (Exception e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * The default directory of local clouds: /var/lib/conpaas/local for root (every VM account can
   * traverse /var/lib, unlike /root), else $XDG_STATE_HOME/conpaas/local (~/.local/state/...).
   */
  public static Path defaultWorkDir(boolean root, Map<String, String> env, String userHome) {
    if (root) {
      return Path.of("/var/lib/conpaas/local");
    }
    String state = env.get("XDG_STATE_HOME");
    Path base = state != null && state.startsWith("/") ? Path.of(state) : Path.of(userHome, ".local", "state");
    return base.resolve("conpaas").resolve("local");
  }

  /** The same for this process. */
  public static Path defaultWorkDir() {
    return defaultWorkDir(runningAsRoot(), System.getenv(), System.getProperty("user.home"));
  }
}
