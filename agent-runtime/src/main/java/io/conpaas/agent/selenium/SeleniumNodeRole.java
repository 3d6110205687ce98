package io.conpaas.agent.selenium;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.SeleniumRoleKeys;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * SeleniumService's nodes: a Selenium Grid 4 node in its own JVM offering headless Chromium
 * (Debian's chromium and chromedriver), registered with the hub whose address the operator
 * configures ({@link SeleniumRoleKeys}). It waits without a process until it has that address.
 * A watcher reads the node's and the hub's /status every second for the facts {@code registered}
 * (the hub lists it UP) and {@code activeSessions}. POST /leave drains it: the node takes no new
 * session, ends itself once its last one ended, and only then does the agent answer "left", so
 * scaling down kills no test (the operator gives up after a bounded time, see VmRelease).
 */
public final class SeleniumNodeRole implements RolePlugin {
  private final GridHttp http = new GridHttp();
  private RoleContext context;
  private Path roleDir;
  private GridProcess node;
  private Thread watcher;
  private volatile int port;
  private volatile String hubUrl;
  private volatile boolean waiting = true;
  private volatile boolean draining;
  private volatile boolean registered;
  private volatile int activeSessions;

  @Override
  public String name() {
    return "nodes";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    String bind = context.bindAddress();
    int sessions = RoleConfig.integer(config, SeleniumRoleKeys.SESSIONS, 1, 1, 16);
    int nodePort = RoleConfig.port(config, SeleniumRoleKeys.PORT, roleDir.resolve("port"), bind);
    String hubHost = config.get(SeleniumRoleKeys.HUB_HOST);
    port = nodePort;
    if (hubHost == null || hubHost.isBlank()) {
      waiting = node == null;
      return;
    }
    if (!hubHost.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
      throw new IllegalArgumentException(SeleniumRoleKeys.HUB_HOST + ": \"" + hubHost + "\" is not a host");
    }
    String host = hubHost.replaceAll("^\\[|\\]$", "");
    int hubPort = RoleConfig.integer(config, SeleniumRoleKeys.HUB_PORT, 0, 1, 65535);
    int pub = RoleConfig.integer(config, SeleniumRoleKeys.HUB_PUBLISH_PORT, 0, 1, 65535);
    int sub = RoleConfig.integer(config, SeleniumRoleKeys.HUB_SUBSCRIBE_PORT, 0, 1, 65535);
    if (draining) {
      // A draining node keeps its sessions and its hub until it ends itself.
      return;
    }
    WorkerUser user = WorkerUser.detect();
    if (node == null) {
      node = new GridProcess("node", roleDir.resolve("grid"), user, GridLibrary.locate());
    }
    boolean noSandbox = ChromiumSandbox.host().needsNoSandbox(user.name());
    Path toml = roleDir.resolve("node-" + sessions + (noSandbox ? "-nosandbox" : "") + ".toml");
    RoleConfig.writeAtomically(toml, GridArguments.nodeToml(sessions, Binaries.find("chromedriver"),
        Binaries.find("chromium", "chromium-browser"), noSandbox));
    node.run(GridArguments.node(bind, nodePort, host, hubPort, pub, sub, toml), RoleConfig.probeHost(bind), nodePort);
    hubUrl = "http://" + GridArguments.bracketed(host) + ":" + hubPort;
    waiting = false;
    if (watcher == null) {
      watcher = new Thread(this::watch, "selenium-node-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(SeleniumRoleKeys.PORT, Integer.toString(port));
    facts.put(SeleniumRoleKeys.REGISTERED, Boolean.toString(registered && !draining));
    facts.put(SeleniumRoleKeys.ACTIVE_SESSIONS, Integer.toString(activeSessions));
    facts.put(SeleniumRoleKeys.DRAINING, Boolean.toString(draining && !hasLeft()));
    facts.put(SeleniumRoleKeys.WAITING, Boolean.toString(waiting));
    return facts;
  }

  /** Starts draining; the node refuses new sessions at once (the hub sees DRAINING) and ends after its last one. */
  @Override
  public synchronized void leave() {
    if (draining) {
      return;
    }
    draining = true;
    if (node == null || !node.alive()) {
      return;
    }
    node.expectExit();
    try {
      http.drain(nodeUrl());
    } catch (IOException e) {
      // The node did not take the request: it cannot be drained, so it is stopped (its sessions were lost anyway).
      System.err.println("cannot drain the Selenium node: " + e.getMessage() + "; stopping it");
      node.stop();
    }
  }

  @Override
  public boolean hasLeft() {
    GridProcess n = node;
    return draining && (n == null || !n.alive());
  }

  @Override
  public synchronized void stop() {
    if (watcher != null) {
      watcher.interrupt();
    }
    if (node != null) {
      node.stop();
    }
  }

  private String nodeUrl() {
    return "http://" + GridArguments.bracketed(RoleConfig.probeHost(context.bindAddress())) + ":" + port;
  }

  /** Every second: the node's own status (id, sessions) and whether the hub lists it as UP. */
  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      GridProcess n = node;
      if (n == null || !n.alive()) {
        registered = false;
        activeSessions = 0;
        continue;
      }
      try {
        var self = GridStatus.node(http.get(nodeUrl() + "/status"));
        activeSessions = self.map(GridStatus.NodeView::activeSessions).orElse(0);
        if (draining && self.filter(v -> "DRAINING".equals(v.availability()) && v.activeSessions() == 0).isPresent()) {
          // Drained and idle: Grid ends such a node only when its own drain-complete event comes
          // back over the hub's event bus, which never happens when the hub went first (a
          // deleted service), so the role ends it. Draining, it takes no new session meanwhile.
          n.stop();
          continue;
        }
        Set<String> up = GridStatus.upNodes(http.get(hubUrl + "/status"));
        registered = self.isPresent() && up.contains(self.get().id());
      } catch (IOException | RuntimeException e) {
        registered = false;
      }
    }
  }
}
