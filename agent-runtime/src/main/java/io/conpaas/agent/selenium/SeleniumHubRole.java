package io.conpaas.agent.selenium;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.SeleniumRoleKeys;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * SeleniumService's hub: a Selenium Grid 4 hub (router, distributor, session queue and the event
 * bus nodes register on) in its own JVM. Its three ports are picked once and kept; facts
 * {@code port}, {@code publishPort}, {@code subscribePort} tell the operator what to give the nodes.
 */
public final class SeleniumHubRole implements RolePlugin {
  private RoleContext context;
  private Path roleDir;
  private GridProcess hub;
  private volatile int port;
  private volatile int publishPort;
  private volatile int subscribePort;

  @Override
  public String name() {
    return "hub";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    String bind = context.bindAddress();
    int http = RoleConfig.port(config, SeleniumRoleKeys.PORT, roleDir.resolve("port"), bind);
    int pub = RoleConfig.port(Map.of(), SeleniumRoleKeys.PUBLISH_PORT, roleDir.resolve("publish-port"), bind);
    int sub = RoleConfig.port(Map.of(), SeleniumRoleKeys.SUBSCRIBE_PORT, roleDir.resolve("subscribe-port"), bind);
    if (hub == null) {
      hub = new GridProcess("hub", roleDir.resolve("grid"), WorkerUser.detect(), GridLibrary.locate());
    }
    hub.run(GridArguments.hub(bind, http, pub, sub), RoleConfig.probeHost(bind), http);
    port = http;
    publishPort = pub;
    subscribePort = sub;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    return Map.of(SeleniumRoleKeys.PORT, Integer.toString(port),
        SeleniumRoleKeys.PUBLISH_PORT, Integer.toString(publishPort),
        SeleniumRoleKeys.SUBSCRIBE_PORT, Integer.toString(subscribePort));
  }

  @Override
  public synchronized void stop() {
    if (hub != null) {
      hub.stop();
    }
  }

  /** For tests: whether the hub JVM runs. */
  boolean running() {
    return hub != null && hub.alive();
  }
}
