package io.conpaas.agent.web;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.process.Commands;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One nginx master a role owns, with everything under its own directory: nginx.conf, pid file,
 * logs and temp paths. A new configuration is tested first (nginx -t), then the master is started
 * or reloaded gracefully, and {@link #apply} returns only when no old worker is left, i.e. when
 * no request can still go where the old configuration sent it.
 */
public final class NginxServer {
  /** How long old workers may take to finish their requests after a reload (nginx's worker_shutdown_timeout). */
  static final Duration WORKER_SHUTDOWN = Duration.ofSeconds(30);

  private final Path dir;
  private final WorkerUser user;
  private final Path nginx = Binaries.find("nginx");
  private ChildProcess master;

  public NginxServer(Path dir, WorkerUser user) {
    this.dir = dir;
    this.user = user;
    RoleConfig.publicDirectory(dir);
    RoleConfig.publicDirectory(dir.resolve("logs"));
    RoleConfig.publicDirectory(dir.resolve("tmp"));
    // An nginx left by an agent that was killed would hold our port and pid file.
    ChildProcess.killStale(dir.resolve("nginx.pid"), "nginx");
  }

  /** The directory (for role-specific files such as a session store). */
  public Path dir() {
    return dir;
  }

  /**
   * Runs nginx with the given http block contents; probe is where it must answer after a
   * start. Throws IllegalArgumentException when nginx rejects the configuration (nothing changes then).
   */
  public synchronized void apply(String http, String probeHost, int probePort) {
    Path conf = dir.resolve("nginx.conf");
    Path next = dir.resolve("nginx.conf.next");
    RoleConfig.writeAtomically(next, mainConfig(http));
    Commands.Result test = Commands.tryRun(command(next, "-t"), Duration.ofSeconds(20));
    if (test.exitCode() != 0) {
      throw new IllegalArgumentException("nginx rejected the configuration: " + test.output().strip());
    }
    try {
      Files.move(next, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (master == null || !master.alive()) {
      master = ChildProcess.start("nginx", command(conf), dir, dir.resolve("logs/nginx.out"));
      master.awaitPort(probeHost, probePort, Duration.ofSeconds(15));
    } else {
      reload();
    }
  }

  private void reload() {
    Set<Long> oldWorkers = workers();
    // What `nginx -s reload` does with the pid file; our master is our own child, so signal it directly.
    master.signal("HUP");
    long deadline = System.nanoTime() + WORKER_SHUTDOWN.plusSeconds(5).toNanos();
    long newWorkerDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      Set<Long> now = workers();
      boolean started = now.stream().anyMatch(pid -> !oldWorkers.contains(pid));
      if (started && now.stream().noneMatch(oldWorkers::contains)) {
        return;
      }
      if (!master.alive()) {
        throw new IllegalStateException("nginx exited during reload: " + master.logTail());
      }
      if ((!started && System.nanoTime() > newWorkerDeadline) || System.nanoTime() > deadline) {
        throw new IllegalStateException("nginx did not apply the new configuration: " + errorLogTail());
      }
      ChildProcess.sleep(20);
    }
  }

  private Set<Long> workers() {
    return master.handle().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** Stops nginx (fast shutdown: the agent is going away). */
  public synchronized void stop() {
    if (master != null) {
      master.stop(Duration.ofSeconds(10));
      master = null;
    }
  }

  private List<String> command(Path conf, String... extra) {
    List<String> cmd = new java.util.ArrayList<>(List.of(nginx.toString(), "-p", dir + "/", "-c", conf.toString(),
        "-e", dir.resolve("logs/error.log").toString()));
    cmd.addAll(List.of(extra));
    return cmd;
  }

  private String mainConfig(String http) {
    Path tmp = dir.resolve("tmp");
    String userLine = user.name().map(u -> "user " + u + ";\n").orElse("");
    return userLine
        + "daemon off;\n"
        + "worker_processes 1;\n"
        + "pid " + dir.resolve("nginx.pid") + ";\n"
        + "error_log " + dir.resolve("logs/error.log") + " warn;\n"
        + "worker_shutdown_timeout " + WORKER_SHUTDOWN.toSeconds() + "s;\n"
        + "events { worker_connections 1024; }\n"
        + "http {\n"
        + "  include /etc/nginx/mime.types;\n"
        + "  default_type application/octet-stream;\n"
        + "  server_tokens off;\n"
        + "  sendfile on;\n"
        + "  access_log " + dir.resolve("logs/access.log") + ";\n"
        + "  client_body_temp_path " + tmp.resolve("body") + ";\n"
        + "  proxy_temp_path " + tmp.resolve("proxy") + ";\n"
        + "  fastcgi_temp_path " + tmp.resolve("fastcgi") + ";\n"
        + "  uwsgi_temp_path " + tmp.resolve("uwsgi") + ";\n"
        + "  scgi_temp_path " + tmp.resolve("scgi") + ";\n"
        + http
        + "}\n";
  }

  private String errorLogTail() {
    return io.conpaas.agent.process.LogFile.tail(dir.resolve("logs/error.log"), 10).orElse("(no error log)");
  }
}
