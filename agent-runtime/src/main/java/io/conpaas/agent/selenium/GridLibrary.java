package io.conpaas.agent.selenium;

import io.conpaas.agent.process.UnusableSetupException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Selenium Grid jars are: the directory {@code selenium-grid} beside the agent jar (the
 * build copies them to agent-runtime/target/selenium-grid; tests run from target/classes, whose
 * parent is the same target/), or CONPAAS_SELENIUM_GRID_LIB. The Grid runs in its own JVM from
 * there, so the agent jar stays small and quick to start.
 */
public final class GridLibrary {
  static final String ENV = "CONPAAS_SELENIUM_GRID_LIB";
  /** The Grid's launcher (hub, node, standalone...). */
  static final String MAIN = "org.openqa.selenium.grid.Main";

  private GridLibrary() {}

  /** The directory holding selenium-grid-*.jar and its dependencies, or an UnusableSetupException. */
  public static Path locate() {
    String configured = System.getenv(ENV);
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured.strip()) : besideAgent();
    if (!hasGridJar(dir)) {
      throw new UnusableSetupException("Selenium Grid jars not found in " + dir + " (the build copies them to "
          + "agent-runtime/target/selenium-grid beside conpaas-agent.jar; or set " + ENV + ")");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** The java -cp argument for every jar of dir. */
  static String classpath(Path dir) {
    return dir.resolve("*").toString();
  }

  private static Path besideAgent() {
    try {
      Path code = Path.of(GridLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("selenium-grid");
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of("selenium-grid");
    }
  }

  private static boolean hasGridJar(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "selenium-grid-*.jar")) {
      return jars.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
