package io.conpaas.agent.selenium;

import io.conpaas.agent.process.JarLibrary;
import java.nio.file.Path;

/**
 * Where the Selenium Grid jars are: {@code selenium-grid} beside the agent jar, or
 * CONPAAS_SELENIUM_GRID_LIB (see {@link JarLibrary}).
 */
public final class GridLibrary {
  static final String ENV = "CONPAAS_SELENIUM_GRID_LIB";
  /** The Grid's launcher (hub, node, standalone...). */
  static final String MAIN = "org.openqa.selenium.grid.Main";

  private GridLibrary() {}

  /** The directory holding selenium-grid-*.jar and its dependencies, or an UnusableSetupException. */
  public static Path locate() {
    return JarLibrary.locate("selenium-grid", ENV, "selenium-grid-*.jar");
  }
}
