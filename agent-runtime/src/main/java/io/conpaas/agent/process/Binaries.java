package io.conpaas.agent.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Debian-packaged servers the roles run (hack/install-web-deps.sh and install-db-deps.sh install them). */
public final class Binaries {
  private static final String HINT =
      " (install it with hack/install-web-deps.sh or hack/install-db-deps.sh, or the VM image's packages)";

  private Binaries() {}

  /** The first executable among names, looked up on PATH and in the sbin directories (root's PATH may lack them). */
  public static Path find(String... names) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
    for (String name : names) {
      for (String dir : path.split(":")) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new UnusableSetupException(String.join(" or ", names) + " not found" + HINT);
  }

  /** The Tomcat 10 installation (CATALINA_HOME) of Debian's tomcat10-common package. */
  public static Path tomcatHome() {
    Path home = Path.of(System.getenv().getOrDefault("CONPAAS_TOMCAT_HOME", "/usr/share/tomcat10"));
    if (!Files.isRegularFile(home.resolve("bin/bootstrap.jar"))) {
      throw new UnusableSetupException("Tomcat not found at " + home + HINT);
    }
    return home;
  }

  /** The java launcher of the JVM running the agent (Tomcat runs on the same one). */
  public static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
