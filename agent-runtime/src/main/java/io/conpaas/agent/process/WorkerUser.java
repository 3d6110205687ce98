package io.conpaas.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The unprivileged account that runs application code. An agent running as root (as on a VM
 * booted by cloud-init) must not run PHP or servlets as root, so nginx workers, php-fpm pools and
 * Tomcat drop to www-data (CONPAAS_WORKER_USER overrides); a non-root agent runs them as itself.
 * On the local cloud run as root, CONPAAS_AGENT_VM_USER names the VM's own account, which then
 * runs every server of the VM (application code and mariadbd alike): VMs share one host there,
 * and a shared www-data would let one service's code read another's files.
 */
public final class WorkerUser {
  /** The one account this VM's servers run as, set by the local cloud (one per VM). */
  public static final String VM_USER = "CONPAAS_AGENT_VM_USER";

  private final String name;
  private final String purpose;

  private WorkerUser(String name, String purpose) {
    this.name = name;
    this.purpose = purpose;
  }

  /** The worker user for this agent process. */
  public static WorkerUser detect() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return new WorkerUser(null, null);
    }
    return new WorkerUser(vmUser().orElse(System.getenv().getOrDefault("CONPAAS_WORKER_USER", "www-data")),
        "the user application code runs as");
  }

  private static Optional<String> vmUser() {
    return Optional.ofNullable(System.getenv(VM_USER)).map(String::strip).filter(u -> !u.isEmpty());
  }

  /**
   * The system account a packaged server drops to when the agent runs as root (e.g. mysql for
   * mariadbd); a non-root agent runs the server as itself.
   */
  public static WorkerUser serverAccount(String account, String server) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return new WorkerUser(null, null);
    }
    return new WorkerUser(vmUser().orElse(account), "the user " + server + " runs as");
  }

  /** The account to switch to, empty when the servers run as the agent's own user. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The command prefix that runs a process as the worker user (empty when no switch is needed). */
  public List<String> commandPrefix() {
    return name == null ? List.of()
        : List.of(Binaries.find("setpriv").toString(), "--reuid=" + name, "--regid=" + name, "--clear-groups", "--");
  }

  /** Gives dir and everything below it to the worker user, for directories its servers write. */
  public void own(Path dir) {
    if (name == null) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal user = lookup.lookupPrincipalByName(name);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
      for (Path p : (Iterable<Path>) tree::iterator) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give " + dir + " to " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails with a clear message (an {@link UnusableSetupException}) when the worker user could not
   * reach dir: every ancestor must be searchable by it, as its owner, through its own group (the
   * local cloud's VM directories) or as one of the others (a private temp directory is not).
   */
  public void checkCanReach(Path dir) {
    if (name == null) {
      return;
    }
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      try {
        if (Files.exists(p) && !searchable(Files.readAttributes(p, PosixFileAttributes.class))) {
          throw new UnusableSetupException(name + " (" + purpose + ") cannot reach " + dir
              + ": " + p + " is not searchable by it; chmod o+x it or use the local cloud's default work directory");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Whether this user may search a directory with these attributes (setpriv leaves it its own group only). */
  private boolean searchable(PosixFileAttributes a) {
    Set<PosixFilePermission> perms = a.permissions();
    if (a.owner().getName().equals(name)) {
      return perms.contains(PosixFilePermission.OWNER_EXECUTE);
    }
    if (a.group().getName().equals(name)) {
      return perms.contains(PosixFilePermission.GROUP_EXECUTE);
    }
    return perms.contains(PosixFilePermission.OTHERS_EXECUTE);
  }
}
