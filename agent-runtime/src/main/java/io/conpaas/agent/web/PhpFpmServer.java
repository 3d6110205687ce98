package io.conpaas.agent.web;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.process.LogFile;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.Commands;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The php-fpm master of a PHP backend, in its own directory, listening on a Unix socket that only
 * the backend's nginx uses. A changed configuration is tested (php-fpm -t) and applied by SIGUSR2,
 * php-fpm's graceful reload: workers finish their requests and the listening socket stays open.
 */
public final class PhpFpmServer {
  private static final String READY = "ready to handle connections";

  private final Path dir;
  private final WorkerUser user;
  private final Path fpm = Binaries.find("php-fpm8.2", "php-fpm");
  private ChildProcess master;

  public PhpFpmServer(Path dir, WorkerUser user) {
    this.dir = dir;
    this.user = user;
    RoleConfig.publicDirectory(dir);
    RoleConfig.publicDirectory(dir.resolve("logs"));
    ChildProcess.killStale(dir.resolve("php-fpm.pid"), "php-fpm");
  }

  /** The socket nginx passes PHP requests to. */
  public Path socket() {
    return dir.resolve("php-fpm.sock");
  }

  /**
   * Starts php-fpm or reloads it with these ini settings (admin ones cannot be changed by the
   * application, plain ones can: e.g. an application's own session handler); returns when it serves again.
   */
  public synchronized void apply(Map<String, String> adminValues, Map<String, String> values) {
    apply(adminValues, values, Map.of());
  }

  /**
   * The same with environment variables for the PHP code (e.g. where its database is). The
   * configuration file may then hold a password: only the agent's user reads it (php-fpm's
   * master starts as that user and reads it before dropping to the worker user).
   */
  public synchronized void apply(Map<String, String> adminValues, Map<String, String> values,
      Map<String, String> env) {
    Path conf = dir.resolve("php-fpm.conf");
    Path next = dir.resolve("php-fpm.conf.next");
    SafeFiles.write(next, config(adminValues, values, env).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "rw-------");
    Commands.Result test = Commands.tryRun(List.of(fpm.toString(), "-t", "-y", next.toString(), "-p", dir.toString()),
        Duration.ofSeconds(20));
    if (test.exitCode() != 0) {
      throw new IllegalArgumentException("php-fpm rejected the configuration: " + test.output().strip());
    }
    try {
      Files.move(next, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve("logs/php-fpm.log");
    int readyBefore = LogFile.count(log, READY);
    if (master == null || !master.alive()) {
      master = ChildProcess.start("php-fpm",
          List.of(fpm.toString(), "--nodaemonize", "-y", conf.toString(), "-p", dir.toString()), dir,
          dir.resolve("logs/php-fpm.out"));
    } else {
      master.signal("USR2");
    }
    awaitReady(log, readyBefore);
  }

  private void awaitReady(Path log, int readyBefore) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!master.alive()) {
        throw new IllegalStateException("php-fpm exited: " + master.logTail() + "\n" + LogFile.tail(log));
      }
      if (LogFile.count(log, READY) > readyBefore && connectable()) {
        return;
      }
      ChildProcess.sleep(30);
    }
    throw new IllegalStateException("php-fpm did not become ready: " + LogFile.tail(log));
  }

  private boolean connectable() {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops php-fpm (SIGTERM: the agent is going away). */
  public synchronized void stop() {
    if (master != null) {
      master.stop(Duration.ofSeconds(10));
      master = null;
    }
  }

  private String config(Map<String, String> adminValues, Map<String, String> values, Map<String, String> env) {
    StringBuilder c = new StringBuilder()
        .append("[global]\n")
        .append("pid = ").append(dir.resolve("php-fpm.pid")).append('\n')
        .append("error_log = ").append(dir.resolve("logs/php-fpm.log")).append('\n')
        .append("log_level = notice\n")
        .append("daemonize = no\n")
        // Lets USR2 wait for running requests instead of cutting them off.
        .append("process_control_timeout = 20s\n")
        .append("[app]\n");
    user.name().ifPresent(u -> c.append("user = ").append(u).append("\ngroup = ").append(u)
        .append("\nlisten.owner = ").append(u).append("\nlisten.group = ").append(u).append('\n'));
    c.append("listen = ").append(socket()).append('\n')
        .append("listen.mode = 0660\n")
        .append("pm = dynamic\npm.max_children = 8\npm.start_servers = 2\npm.min_spare_servers = 1\n")
        .append("pm.max_spare_servers = 4\n")
        .append("catch_workers_output = yes\n")
        .append("decorate_workers_output = no\n")
        .append("php_admin_flag[log_errors] = on\n");
    new TreeMap<>(adminValues).forEach((k, v) -> c.append("php_admin_value[").append(k).append("] = ")
        .append(v).append('\n'));
    new TreeMap<>(values).forEach((k, v) -> c.append("php_value[").append(k).append("] = ").append(v).append('\n'));
    // Callers pass only values without quotes, backslashes or '$' (php-fpm would interpret them).
    new TreeMap<>(env).forEach((k, v) -> c.append("env[").append(k).append("] = \"").append(v).append("\"\n"));
    return c.toString();
  }
}
