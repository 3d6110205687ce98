package io.conpaas.agent.web;

import io.conpaas.agent.api.WebRoleKeys;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The proxy (load balancer) of PhpService and JavaService: nginx balancing over the backends and
 * sending static files to the web servers. Keys: {@code port} (0/absent = pick; fact {@code
 * port}), {@code backends} and {@code web} (comma-separated host:port lists the operator pushes).
 * PHP only: the shared session store on {@code sessionPort} (fact {@code sessionPort}; backends
 * use http://&lt;proxy&gt;:&lt;sessionPort&gt;/sessions/), sessions expiring after {@code
 * sessionLifetime} seconds (default 1440, PHP's gc_maxlifetime). configure returns once the old
 * configuration has no request left, so a backend dropped from the list may be released then.
 */
public final class ProxyRole implements RolePlugin {
  static final String PORT = WebRoleKeys.PORT;
  static final String BACKENDS = WebRoleKeys.BACKENDS;
  static final String WEB = WebRoleKeys.WEB;
  static final String SESSION_PORT = WebRoleKeys.SESSION_PORT;
  static final String SESSION_LIFETIME = "sessionLifetime";

  private final boolean sessionStore;
  private RoleContext context;
  private Path roleDir;
  private NginxServer nginx;
  private ScheduledExecutorService expiry;
  private volatile int port;
  private volatile int sessionPort;
  private volatile int sessionLifetime = 1440;
  private volatile List<HostPort> backends = List.of();

  /** sessionStore: whether this proxy also keeps the PHP sessions of its backends. */
  public ProxyRole(boolean sessionStore) {
    this.sessionStore = sessionStore;
  }

  @Override
  public String name() {
    return "proxy";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = context.roleDir(name());
    WorkerUser user = WorkerUser.detect();
    RoleConfig.publicDirectory(roleDir);
    user.checkCanReach(roleDir);
    nginx = new NginxServer(roleDir.resolve("nginx"), user);
    if (sessionStore) {
      // nginx's workers write the sessions; root only deletes expired ones (unlink, never through a link).
      RoleConfig.publicDirectory(sessionFiles().getParent());
      SafeFiles.workerDirectory(sessionFiles(), user.name(), "rwx------");
      expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-expiry");
        t.setDaemon(true);
        return t;
      });
      expiry.scheduleWithFixedDelay(this::expireSessions, 1, 1, TimeUnit.MINUTES);
    }
  }

  private Path sessionFiles() {
    return roleDir.resolve("nginx/store/sessions");
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    List<HostPort> newBackends = HostPort.parseList(BACKENDS, config.get(BACKENDS));
    List<HostPort> web = HostPort.parseList(WEB, config.get(WEB));
    int newPort = RoleConfig.port(config, PORT, roleDir.resolve("port"), context.bindAddress());
    String bind = context.bindAddress();
    String http = NginxSites.proxy(bind, newPort, newBackends, web);
    int newSessionPort = 0;
    if (sessionStore) {
      newSessionPort = RoleConfig.port(config, SESSION_PORT, roleDir.resolve("session-port"), bind);
      sessionLifetime = RoleConfig.integer(config, SESSION_LIFETIME, 1440, 60, 7 * 24 * 3600);
      http += NginxSites.sessionStore(bind, newSessionPort, roleDir.resolve("nginx/store"), storeClients(newBackends));
    }
    nginx.apply(http, RoleConfig.probeHost(bind), newPort);
    port = newPort;
    sessionPort = newSessionPort;
    backends = newBackends;
  }

  /** The addresses allowed to use the session store: loopback and the backends' addresses. */
  private static List<String> storeClients(List<HostPort> backends) {
    List<String> allowed = new ArrayList<>(List.of("127.0.0.1", "::1"));
    for (HostPort b : backends) {
      try {
        for (InetAddress a : InetAddress.getAllByName(b.host().replace("[", "").replace("]", ""))) {
          if (!allowed.contains(a.getHostAddress())) {
            allowed.add(a.getHostAddress());
          }
        }
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(BACKENDS + ": cannot resolve " + b.host());
      }
    }
    return allowed;
  }

  private void expireSessions() {
    long cutoff = System.currentTimeMillis() - sessionLifetime * 1000L;
    try (var files = Files.list(sessionFiles())) {
      files.filter(f -> f.toFile().lastModified() < cutoff).forEach(f -> f.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // Next round; an expiry that fails once only keeps sessions a little longer.
    }
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(PORT, Integer.toString(port));
    if (sessionStore) {
      facts.put(SESSION_PORT, Integer.toString(sessionPort));
    }
    facts.put(BACKENDS, NginxSites.joined(backends));
    return facts;
  }

  @Override
  public synchronized void stop() {
    if (expiry != null) {
      expiry.shutdownNow();
    }
    if (nginx != null) {
      nginx.stop();
    }
  }
}
