package io.conpaas.agent.kv;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.KvRoleKeys;
import io.conpaas.agent.web.HostPort;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ScalarisService's nodes role: a member of the service's key-value store (embedded Hazelcast,
 * ConPaaS's Scalaris replaced) plus its HTTP API. Keys: {@link KvRoleKeys}. A node starts its
 * member once it has a member list to join, or at once when it may bootstrap (the first node);
 * later member lists only matter for a restart (the cluster itself tracks who is in it). Facts:
 * {@code port}, {@code memberPort}, {@code member}, {@code clusterSize}, {@code waiting},
 * {@code leaving}. POST /leave starts a graceful leave; the agent answers LEAVING until the
 * member is gone.
 */
public final class KvNodeRole implements RolePlugin {
  private RoleContext context;
  private Path roleDir;
  private volatile KvMember member;
  private KvHttpApi api;
  private volatile int memberPort;
  private volatile boolean waiting = true;
  private volatile boolean leaving;
  private volatile boolean left;

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
    String clusterName = config.getOrDefault(KvRoleKeys.CLUSTER_NAME, "conpaas-kv");
    if (!clusterName.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(KvRoleKeys.CLUSTER_NAME + ": \"" + clusterName + "\" is not a name");
    }
    List<HostPort> members = HostPort.parseList(KvRoleKeys.MEMBERS, config.get(KvRoleKeys.MEMBERS));
    boolean bootstrap = RoleConfig.bool(config, KvRoleKeys.BOOTSTRAP, false);
    int backups = RoleConfig.integer(config, KvRoleKeys.BACKUP_COUNT, 1, 0, 6);
    String bind = context.bindAddress();
    int httpPort = RoleConfig.port(config, KvRoleKeys.PORT, roleDir.resolve("port"), bind);
    int hzPort = RoleConfig.port(config, KvRoleKeys.MEMBER_PORT, roleDir.resolve("member-port"), bind);
    if (api == null) {
      try {
        api = new KvHttpApi(bind, httpPort, () -> member);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve the key-value API on " + bind + ":" + httpPort, e);
      }
    }
    if (member == null && !leaving && (bootstrap || !members.isEmpty())) {
      member = KvMember.start(clusterName, context.agentName(), bind, hzPort, members, backups);
      memberPort = hzPort;
    }
    waiting = member == null;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    KvMember m = member;
    boolean running = m != null && m.running();
    facts.put(KvRoleKeys.PORT, api == null ? "0" : Integer.toString(api.port()));
    facts.put(KvRoleKeys.MEMBER_PORT, Integer.toString(memberPort));
    facts.put(KvRoleKeys.MEMBER, Boolean.toString(running && !leaving));
    facts.put(KvRoleKeys.CLUSTER_SIZE, Integer.toString(running ? m.clusterSize() : 0));
    facts.put(KvRoleKeys.WAITING, Boolean.toString(waiting));
    facts.put(KvRoleKeys.LEAVING, Boolean.toString(leaving && !left));
    return facts;
  }

  @Override
  public synchronized void leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    KvMember m = member;
    if (m == null) {
      left = true;
      return;
    }
    Thread t = new Thread(() -> {
      try {
        m.leave();
      } finally {
        left = true;
      }
    }, "kv-leave");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public boolean hasLeft() {
    return left;
  }

  @Override
  public synchronized void stop() {
    if (api != null) {
      api.close();
    }
    if (member != null) {
      member.stop();
    }
  }
}
