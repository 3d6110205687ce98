package io.conpaas.agent.selenium;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grid command lines and the node's configuration file (pure). */
final class GridArguments {
  private GridArguments() {}

  /** A hub serving HTTP on bind:port, with its event bus on the publish and subscribe ports. */
  static List<String> hub(String bind, int port, int publishPort, int subscribePort) {
    String busHost = wildcard(bind) ? "*" : bracketed(bind);
    List<String> args = new ArrayList<>(List.of("hub", "--port", Integer.toString(port),
        "--publish-events", "tcp://" + busHost + ":" + publishPort,
        "--subscribe-events", "tcp://" + busHost + ":" + subscribePort));
    host(args, bind);
    return args;
  }

  /** A node on bind:port that registers over the hub's event bus, configured by configFile. */
  static List<String> node(String bind, int port, String hubHost, int hubPort, int hubPublishPort,
      int hubSubscribePort, Path configFile) {
    String hub = bracketed(hubHost);
    List<String> args = new ArrayList<>(List.of("node", "--port", Integer.toString(port),
        "--publish-events", "tcp://" + hub + ":" + hubPublishPort,
        "--subscribe-events", "tcp://" + hub + ":" + hubSubscribePort,
        "--grid-url", "http://" + hub + ":" + hubPort,
        "--config", configFile.toString()));
    host(args, bind);
    return args;
  }

  /**
   * The node's TOML: only Chromium through Debian's chromedriver (no driver detection, no
   * Selenium Manager: nothing is downloaded), headless whatever the client asks (the node merges
   * its stereotype's arguments into every session's), sessions concurrent sessions.
   */
  static String nodeToml(int sessions, Path chromedriver, Path chromium, boolean noSandbox) {
    String args = "\"--headless=new\"" + (noSandbox ? ", \"--no-sandbox\"" : "");
    return """
        [node]
        detect-drivers = false
        selenium-manager = false
        max-sessions = %d
        override-max-sessions = true

        [[node.driver-configuration]]
        display-name = "chromium"
        webdriver-executable = "%s"
        max-sessions = %d
        stereotype = '{"browserName": "chrome", "platformName": "linux", "goog:chromeOptions": {"binary": "%s", "args": [%s]}}'
        """.formatted(sessions, toml(chromedriver.toString()), sessions, json(chromium.toString()), args);
  }

  /** Grid's --host is the address it binds and announces; a wildcard bind lets it pick its own. */
  private static void host(List<String> args, String bind) {
    if (!wildcard(bind)) {
      args.addAll(List.of("--host", bind));
    }
  }

  private static boolean wildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::");
  }

  static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String toml(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String json(String s) {
    // Inside a TOML literal string ('...'): no escapes there, so refuse what would break out.
    if (s.contains("'") || s.contains("\"") || s.contains("\\")) {
      throw new IllegalArgumentException("unusable browser path " + s);
    }
    return s;
  }
}
