package io.conpaas.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory of jars a role runs in a JVM of its own (Selenium Grid, Hadoop): the build copies
 * them beside the agent jar (agent-runtime/target/&lt;name&gt;; tests run from target/classes, whose
 * parent is the same target/), or an environment variable names the directory. The agent never
 * loads these classes itself, so its jar stays small and quick to start.
 */
public final class JarLibrary {
  private JarLibrary() {}

  /**
   * The directory named by the environment variable env, else {@code name} beside the agent's
   * code; it must hold a jar matching marker (a glob), or an UnusableSetupException says where
   * the build puts it.
   */
  public static Path locate(String name, String env, String marker) {
    String configured = System.getenv(env);
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured.strip()) : besideAgent(name);
    if (!hasJar(dir, marker)) {
      throw new UnusableSetupException(marker + " not found in " + dir + " (the build copies it to agent-runtime/target/"
          + name + " beside conpaas-agent.jar; or set " + env + ")");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** The java -cp entry for every jar of dir. */
  public static String classpath(Path dir) {
    return dir.resolve("*").toString();
  }

  /**
   * The jars where the worker user can read them: library itself, or when one of its parents is
   * closed to that account (a checkout under /root) a copy in copy, which the VM's account reaches
   * (root-owned, world-readable; refreshed when a jar's size differs).
   */
  public static Path reachable(Path library, WorkerUser user, Path copy) {
    try {
      user.checkCanReach(library);
      return library;
    } catch (UnusableSetupException closed) {
      io.conpaas.agent.web.RoleConfig.publicDirectory(copy);
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(library, "*.jar")) {
        for (Path jar : jars) {
          Path target = copy.resolve(jar.getFileName());
          if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.size(target) != Files.size(jar)) {
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the jars of " + library + " to " + copy + ": " + e.getMessage(), e);
      }
      return copy;
    }
  }

  private static Path besideAgent(String name) {
    try {
      Path code = Path.of(JarLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve(name);
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of(name);
    }
  }

  private static boolean hasJar(Path dir, String marker) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, marker)) {
      return jars.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
