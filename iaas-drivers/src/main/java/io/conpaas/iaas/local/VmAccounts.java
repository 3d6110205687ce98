package io.conpaas.iaas.local;

import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One system account per local VM, created when the operator runs as root. Every local VM shares
 * the operator's host, so a shared www-data would let one service's PHP page read another
 * service's database password, session files or php-fpm environment (same uid: files and
 * /proc/PID/environ alike). A VM's servers run as its own account instead, and its directory is
 * reachable by that account's group only, as separate VMs would be.
 */
final class VmAccounts {
  private static final String PREFIX = "conpaas-";
  /** The comment of every such account, followed by its VM's directory (how a sweep knows it is stale). */
  private static final String COMMENT = "ConPaaS local VM ";
  private static final Object PASSWD_LOCK = new Object();
  private static final long TIMEOUT_SECONDS = 30;
  private static final long SWEEP_INTERVAL_NANOS = java.time.Duration.ofMinutes(1).toNanos();
  private static volatile long lastSweep = System.nanoTime() - SWEEP_INTERVAL_NANOS;

  private VmAccounts() {}

  /** The account of the VM with this instance id (e.g. conpaas-local-0123456789ab, 26 characters). */
  static String nameFor(String instanceId) {
    return PREFIX + instanceId;
  }

  /**
   * Creates the VM's account (and its group) unless it exists; fails with a message naming
   * useradd's. vmDir (already created) goes into the account's comment for {@link #sweep}.
   */
  static void ensure(String name, Path vmDir) {
    synchronized (PASSWD_LOCK) {
      if (exists(name)) {
        return;
      }
      String where = vmDir.toAbsolutePath().normalize().toString();
      String comment = COMMENT + (where.matches("[^:,\\n]*") ? where : "");
      run(List.of(binary("useradd"), "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
          "--shell", "/usr/sbin/nologin", "--comment", comment, name), "create");
    }
  }

  /**
   * Removes, at most once a minute, the accounts whose VM directory is gone and that run nothing:
   * left when agents died with the operator's host or a test JVM instead of being terminated
   * (system uids are few). The directory is created before its account, so a VM being created is safe.
   */
  static void sweep() {
    long now = System.nanoTime();
    if (now - lastSweep < SWEEP_INTERVAL_NANOS) {
      return;
    }
    lastSweep = now;
    sweepNow();
  }

  /** The sweep itself, whenever asked. */
  static void sweepNow() {
    synchronized (PASSWD_LOCK) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return;
      }
      for (String line : lines) {
        String[] f = line.split(":", -1);
        if (f.length < 5 || !f[0].startsWith(PREFIX + "local-") || !f[4].startsWith(COMMENT)
            || f[4].length() == COMMENT.length()) {
          continue;
        }
        String name = f[0];
        boolean running = ProcessHandle.allProcesses()
            .anyMatch(p -> p.isAlive() && p.info().user().map(name::equals).orElse(false));
        if (!running && !Files.exists(Path.of(f[4].substring(COMMENT.length())))) {
          remove(name);
        }
      }
    }
  }

  /** Removes the VM's account and group, if present (best effort: a leftover account owns nothing). */
  static void remove(String name) {
    synchronized (PASSWD_LOCK) {
      if (!exists(name)) {
        return;
      }
      try {
        run(List.of(binary("userdel"), name), "remove");
      } catch (CloudException e) {
        org.slf4j.LoggerFactory.getLogger(VmAccounts.class).warn("{}", e.getMessage());
      }
    }
  }

  static boolean exists(String name) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8).stream()
          .anyMatch(l -> l.startsWith(name + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary(String name) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new CloudException("AccountsUnavailable", name + " not found: the local cloud run as root gives each VM "
        + "its own system account (install the passwd package)", false);
  }

  private static void run(List<String> command, String what) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CloudException("AccountFailed", command.get(0) + " did not finish in " + TIMEOUT_SECONDS + " s",
            true);
      }
      String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        // Retryable: useradd also fails while another tool holds the lock of /etc/passwd.
        throw new CloudException("AccountFailed", "cannot " + what + " the local VM's account " + command.get(command.size() - 1)
            + ": " + out, true);
      }
    } catch (IOException e) {
      throw new CloudException("AccountFailed", "cannot run " + command.get(0) + ": " + e.getMessage(), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException("AccountFailed", "interrupted", true, e);
    }
  }
}
