package io.conpaas.agent.mysql;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.process.Commands;
import io.conpaas.agent.process.LogFile;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One mariadbd a MySQL role owns, everything under the role directory: my.cnf, server/ (datadir,
 * socket, pid file; owned by the mysql account when the agent is root) and logs/. The datadir is
 * created once by mariadb-install-db; a changed my.cnf restarts the server.
 */
final class MariaDbServer {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /** What my.cnf depends on. A master logs binary logs (ROW, GTIDs); a slave is read-only. */
  record Settings(String bindAddress, int port, int serverId, boolean master) {}

  /** sun_path of a Unix socket address holds 108 bytes with the terminating NUL. */
  static final int MAX_SOCKET_PATH = 107;
  private final Path dir;
  private final Path serverDir;
  private final Path dataDir;
  private final Path logs;
  private final WorkerUser account = WorkerUser.serverAccount("mysql", "mariadbd");
  private final String adminUser = System.getProperty("user.name");
  private final Path mariadbd = Binaries.find("mariadbd", "mysqld");
  private final SqlClient admin;
  private final Path socket;
  private ChildProcess process;
  private String runningConfig;

  MariaDbServer(Path dir) {
    this.dir = RoleConfig.publicDirectory(dir);
    this.serverDir = dir.resolve("server");
    this.dataDir = serverDir.resolve("data");
    this.logs = dir.resolve("logs");
    account.checkCanReach(dir);
    this.socket = socketFor(serverDir);
    this.admin = new SqlClient(socket, adminUser);
    // A mariadbd left by an agent that was killed would hold our datadir and port.
    ChildProcess.killStale(serverDir.resolve("mariadbd.pid"), "mariadbd");
  }

  Path socket() {
    return socket;
  }

  /**
   * The socket in the server's directory, unless that path exceeds what a Unix socket address
   * holds (mariadbd refuses to start then): deep work directories get a short one under the
   * temporary directory, named by a hash of the server's directory.
   */
  static Path socketFor(Path serverDir) {
    Path own = serverDir.resolve("mariadbd.sock");
    if (own.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
      return own;
    }
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(serverDir.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return Path.of(System.getProperty("java.io.tmpdir"), "conpaas-mysql-"
          + java.util.HexFormat.of().formatHex(hash).substring(0, 16), "mariadbd.sock");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates the socket's own directory when it is not the server directory (readable by the server account only). */
  private void prepareSocketDirectory() {
    Path parent = socket.getParent();
    if (parent.equals(serverDir)) {
      return;
    }
    LinkOption nofollow = LinkOption.NOFOLLOW_LINKS;
    try {
      try {
        Files.createDirectory(parent);
      } catch (java.nio.file.FileAlreadyExistsException exists) {
        // Checked below: it is in the shared temporary directory, where anyone could have made it.
      }
      int uid = (Integer) Files.getAttribute(parent, "unix:uid", nofollow);
      String owner = Files.getOwner(parent, nofollow).getName();
      if (!Files.isDirectory(parent, nofollow) || (uid != 0 && !owner.equals(account.name().orElse(adminUser)))) {
        throw new IllegalStateException("the socket directory " + parent + " exists but is not a directory of root"
            + " or " + account.name().orElse(adminUser) + "; remove it");
      }
      // A directory of root or the server's account in a sticky directory: nobody else can swap it now.
      SafeFiles.giveTo(parent, account.name());
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-x---"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the socket directory " + parent, e);
    }
  }

  /** The admin client (root over the socket). */
  SqlClient admin() {
    return admin;
  }

  /** The server's error log, in the one directory below logs/ that mariadbd (its account) writes. */
  Path errorLog() {
    return logs.resolve("server/mariadbd.err");
  }

  /** Whether the server process runs. */
  synchronized boolean running() {
    return process != null && process.alive();
  }

  /** Starts the server with settings, or restarts it when they changed; returns once it answers on its socket and port. */
  synchronized void apply(Settings settings) {
    installOnce();
    prepareSocketDirectory();
    String config = config(settings);
    if (running() && config.equals(runningConfig)) {
      return;
    }
    RoleConfig.writeAtomically(dir.resolve("my.cnf"), config);
    if (running()) {
      process.stop(STOP_GRACE);
    }
    process = ChildProcess.start("mariadbd", List.of(mariadbd.toString(), "--defaults-file=" + dir.resolve("my.cnf")),
        dir, logs.resolve("mariadbd.out"));
    runningConfig = config;
    process.awaitPort(RoleConfig.probeHost(settings.bindAddress()), settings.port(), START_TIMEOUT);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!admin.answers()) {
      if (!process.alive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("mariadbd does not answer on " + socket() + ": " + LogFile.tail(errorLog()));
      }
      ChildProcess.sleep(100);
    }
  }

  /** Stops the server (SIGTERM: a clean InnoDB shutdown). */
  synchronized void stop() {
    if (process != null) {
      process.stop(STOP_GRACE);
      process = null;
      runningConfig = null;
    }
  }

  private void installOnce() {
    // The marker is root's (agents before it kept it in server/, which the mysql account writes).
    Path installed = dir.resolve("installed");
    prepareLogs();
    if (Files.isRegularFile(installed, LinkOption.NOFOLLOW_LINKS)
        || Files.isRegularFile(serverDir.resolve("installed"), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
      // A datadir without the marker is what an interrupted install left: start it again. The
      // account deletes it: root walking a tree the account writes could be led elsewhere by a link.
      List<String> rm = new ArrayList<>(account.commandPrefix());
      rm.addAll(List.of("rm", "-rf", "--one-file-system", dataDir.toString()));
      Commands.run(rm, Duration.ofSeconds(120));
    }
    // Only these directories themselves are the account's: no walk below them as root.
    SafeFiles.workerDirectory(serverDir, account.name(), "rwxr-x---");
    // Below server/ the account creates its own directories: root does not act in a directory it writes.
    List<String> mkdir = new ArrayList<>(account.commandPrefix());
    mkdir.addAll(List.of("mkdir", "-p", "-m", "0750", dataDir.toString(), serverDir.resolve("files").toString()));
    Commands.run(mkdir, Duration.ofSeconds(20));
    // Run as the account itself: as root, the script would write files into the account's datadir.
    List<String> cmd = new ArrayList<>(account.commandPrefix());
    cmd.addAll(List.of(Binaries.find("mariadb-install-db", "mysql_install_db").toString(),
        "--no-defaults", "--datadir=" + dataDir, "--auth-root-authentication-method=socket", "--skip-test-db",
        "--skip-name-resolve"));
    // As root the administrator is root@localhost (socket authentication), whoever runs the script.
    account.name().ifPresentOrElse(a -> cmd.addAll(List.of("--user=" + a, "--auth-root-socket-user=root")),
        // A non-root agent administers its server as its own account (socket authentication).
        () -> cmd.add("--auth-root-socket-user=" + adminUser));
    Commands.Result r = Commands.tryRun(cmd, Duration.ofSeconds(120));
    writeLog("install.log", r.output());
    if (r.exitCode() != 0) {
      throw new IllegalStateException("mariadb-install-db failed (exit " + r.exitCode() + "): "
          + LogFile.tail(logs.resolve("install.log")));
    }
    RoleConfig.writeAtomically(installed, "installed\n");
  }

  /** logs/ is root's (the agent writes install.log and mariadbd's output there), logs/server/ mariadbd's. */
  private void prepareLogs() {
    RoleConfig.publicDirectory(logs);
    SafeFiles.workerDirectory(logs.resolve("server"), account.name(), "rwxr-xr-x");
  }

  private void writeLog(String name, String text) {
    SafeFiles.write(logs.resolve(name), text);
  }

  private String config(Settings s) {
    StringBuilder c = new StringBuilder("[mariadbd]\n");
    account.name().ifPresent(a -> c.append("user=").append(a).append('\n'));
    c.append("datadir=").append(dataDir).append('\n')
        .append("socket=").append(socket()).append('\n')
        .append("pid-file=").append(serverDir.resolve("mariadbd.pid")).append('\n')
        .append("log-error=").append(errorLog()).append('\n')
        .append("bind-address=").append(s.bindAddress()).append('\n')
        .append("port=").append(s.port()).append('\n')
        .append("server-id=").append(s.serverId()).append('\n')
        .append("skip-name-resolve\n")
        // The user with ALL PRIVILEGES (manual 2.5.2) must not read or write the VM's files.
        .append("secure-file-priv=").append(serverDir.resolve("files")).append('\n')
        .append("local-infile=0\n")
        .append("max-allowed-packet=64M\n")
        .append("character-set-server=utf8mb4\n")
        .append("collation-server=utf8mb4_general_ci\n")
        .append("relay-log=relay-bin\n");
    if (s.master()) {
      // MariaDB's binary log always carries GTIDs; slaves follow them (MASTER_USE_GTID=slave_pos).
      c.append("log-bin=binlog\n")
          .append("binlog-format=ROW\n")
          .append("binlog-expire-logs-seconds=604800\n");
    } else {
      c.append("read-only=1\n");
    }
    return c.toString();
  }
}
