package io.conpaas.agent.mysql;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A slave's replication from its master. Seeding happens once per master (host:port, recorded in
 * the role directory), and again only when the master no longer has the slave's position:
 * mariadb-dump of all databases from the master as mysqladb, in one transaction with the GTID
 * position it saw (--single-transaction --gtid --master-data), piped into the local server; then
 * CHANGE MASTER ... MASTER_USE_GTID=slave_pos as repl and START SLAVE.
 */
final class Replication {
  /** How long configure waits for both replication threads to run. */
  static final Duration START_WAIT = Duration.ofSeconds(60);
  /** How long copying the master's data may take. */
  static final Duration SEED_TIMEOUT = Duration.ofMinutes(30);
  private static final int CONNECT_RETRY_SECONDS = 5;
  /** "Got fatal error 1236 from master when reading data from binary log": the position is gone there. */
  private static final int ER_MASTER_FATAL_READING_BINLOG = 1236;

  /** The master no longer has the binary logs from this slave's GTID position on. */
  private static final class PositionGone extends IllegalStateException {
    PositionGone(String message) {
      super(message);
    }
  }

  /** Where to replicate from. */
  record Master(String host, int port) {
    String address() {
      return host + ":" + port;
    }
  }

  /** The row of SHOW ALL SLAVES STATUS, reduced to what the role reports. */
  record Status(boolean ioRunning, boolean sqlRunning, String ioState, Long secondsBehind, String masterHost,
      int masterPort, String gtidPosition, String lastError, int ioErrno) {
    boolean replicating() {
      return ioRunning && sqlRunning;
    }
  }

  private final MariaDbServer server;
  private final Path privateDir;
  private final Path seededFile;

  Replication(MariaDbServer server, Path roleDir, Path privateDir) {
    this.server = server;
    this.privateDir = privateDir;
    this.seededFile = roleDir.resolve("seeded-from");
  }

  /**
   * Makes the server replicate from master: seeds it first unless it was seeded from that master
   * before, then waits until both threads run. IllegalStateException says why not.
   */
  void ensure(Master master, Credentials credentials) {
    if (!master.address().equals(seededFrom().orElse(""))) {
      seedAndStart(master, credentials);
      return;
    }
    Optional<Status> now = status();
    if (now.isPresent() && now.get().replicating()) {
      return;
    }
    // Not seeded again: the GTID position in mysql.gtid_slave_pos says where to resume...
    start(master, credentials.replicationPassword());
    try {
      awaitRunning(master);
    } catch (PositionGone e) {
      // ...unless the master no longer has it (binary logs expired while detached, or another master
      // at the same address): then the only way back is a fresh copy, but never one that holds
      // fewer transactions than this server (an empty replacement master would wipe the data).
      refuseCopyOfAnOlderMaster(master, credentials);
      seedAndStart(master, credentials);
    }
  }

  private void seedAndStart(Master master, Credentials credentials) {
    detach();
    seed(master, credentials);
    RoleConfig.writeAtomically(seededFile, master.address() + "\n");
    start(master, credentials.replicationPassword());
    awaitRunning(master);
  }

  /** Gives the running replication a new repl password (it is used on the next connection). */
  void changePassword(String replicationPassword) {
    if (status().isEmpty()) {
      return;
    }
    server.admin().executeSecret("STOP SLAVE;\nCHANGE MASTER TO MASTER_PASSWORD="
        + SqlClient.literal(replicationPassword) + ";\nSTART SLAVE;\n", "changing the replication password");
  }

  /** Stops replicating and forgets the master (POST /leave); the data stays. */
  void detach() {
    if (status().isPresent()) {
      server.admin().execute("STOP SLAVE;\nRESET SLAVE ALL;\n");
    }
  }

  /** The master this server was seeded from, if any. */
  Optional<String> seededFrom() {
    try {
      return Files.isRegularFile(seededFile) ? Optional.of(Files.readString(seededFile).strip()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The replication state, empty when no master is set. */
  Optional<Status> status() {
    // SHOW ALL SLAVES STATUS: the only form with Gtid_Slave_Pos (one row, the default connection).
    List<Map<String, String>> rows = server.admin().query("SHOW ALL SLAVES STATUS;");
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> r = rows.get(0);
    String sqlError = r.getOrDefault("Last_SQL_Error", "");
    String ioError = r.getOrDefault("Last_IO_Error", "");
    String seconds = r.get("Seconds_Behind_Master");
    return Optional.of(new Status("Yes".equals(r.get("Slave_IO_Running")), "Yes".equals(r.get("Slave_SQL_Running")),
        r.getOrDefault("Slave_IO_State", ""), seconds == null || seconds.isBlank() ? null : Long.valueOf(seconds),
        r.get("Master_Host"), Integer.parseInt(r.getOrDefault("Master_Port", "0")),
        r.getOrDefault("Gtid_Slave_Pos", ""),
        sqlError != null && !sqlError.isBlank() ? sqlError : ioError == null ? "" : ioError,
        Integer.parseInt(r.getOrDefault("Last_IO_Errno", "0"))));
  }

  private void start(Master master, String replicationPassword) {
    if (status().isPresent()) {
      server.admin().execute("STOP SLAVE;\n");
    }
    server.admin().executeSecret("CHANGE MASTER TO MASTER_HOST=" + SqlClient.literal(master.host())
        + ", MASTER_PORT=" + master.port()
        + ", MASTER_USER=" + SqlClient.literal(MysqlRoleKeys.REPLICATION_USER)
        + ", MASTER_PASSWORD=" + SqlClient.literal(replicationPassword)
        + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=" + CONNECT_RETRY_SECONDS + ";\n"
        + "START SLAVE;\n", "CHANGE MASTER TO " + master.address());
  }

  private void awaitRunning(Master master) {
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (true) {
      Optional<Status> s = status();
      if (s.isPresent() && s.get().replicating()) {
        return;
      }
      if (s.isPresent() && !s.get().ioRunning() && s.get().ioErrno() == ER_MASTER_FATAL_READING_BINLOG) {
        throw new PositionGone("the master cannot send from this slave's position: " + s.get().lastError());
      }
      if (s.isPresent() && !s.get().sqlRunning() && !s.get().lastError().isBlank()) {
        throw new IllegalStateException("replication from " + master.address() + " stopped: " + s.get().lastError());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replication from " + master.address() + " did not start within "
            + START_WAIT.toSeconds() + " s: " + s.map(st -> st.ioState() + " " + st.lastError()).orElse("no master set"));
      }
      ChildProcess.sleep(200);
    }
  }

  /** Throws unless every GTID domain of this server is at or behind the master's position. */
  private void refuseCopyOfAnOlderMaster(Master master, Credentials credentials) {
    String mine = server.admin().value("SELECT @@GLOBAL.gtid_slave_pos;").orElse("");
    String theirs = masterGtid(master, credentials);
    java.util.Map<String, Long> masterSeq = GtidPositions.parse(theirs);
    for (var e : GtidPositions.parse(mine).entrySet()) {
      long seq = masterSeq.getOrDefault(e.getKey(), -1L);
      if (seq < e.getValue()) {
        throw new IllegalStateException("the master at " + master.address() + " holds fewer transactions (GTID "
            + (theirs.isBlank() ? "none" : theirs) + ") than this slave (" + mine
            + "): not copying it over this slave's data; restore the master first");
      }
    }
  }

  private String masterGtid(Master master, Credentials credentials) {
    Path options = ClientOptions.write(privateDir.resolve("master-query.cnf"), MysqlRoleKeys.USER,
        credentials.password(), master.host(), master.port());
    try {
      Process p = new ProcessBuilder(Binaries.find("mariadb", "mysql").toString(), "--defaults-file=" + options,
          "--batch", "--skip-column-names", "-e", "SELECT @@GLOBAL.gtid_current_pos")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("cannot read the GTID position of the master at " + master.address());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run mariadb: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      try {
        Files.deleteIfExists(options);
      } catch (IOException ignored) {
        // Private directory; overwritten next time.
      }
    }
  }

  /** Copies the master's databases and users with the GTID position of that copy (gtid_slave_pos). */
  private void seed(Master master, Credentials credentials) {
    Path options = ClientOptions.write(privateDir.resolve("master-client.cnf"), MysqlRoleKeys.USER,
        credentials.password(), master.host(), master.port());
    try {
      ProcessBuilder dump = new ProcessBuilder(Binaries.find("mariadb-dump", "mysqldump").toString(),
          "--defaults-file=" + options, "--all-databases", "--single-transaction", "--gtid", "--master-data=1",
          "--flush-privileges", "--routines", "--events", "--triggers", "--max-allowed-packet=64M",
          // The slave's own replication state is not the master's to set (the dump sets gtid_slave_pos).
          "--ignore-table=mysql.gtid_slave_pos")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      ProcessBuilder load = new ProcessBuilder(server.admin().command("--default-character-set=utf8mb4"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      List<Process> pipeline = ProcessBuilder.startPipeline(List.of(dump, load));
      OutputTail dumpErrors = OutputTail.of(pipeline.get(0).getErrorStream(), 16 * 1024, "seed-dump");
      OutputTail loadErrors = OutputTail.of(pipeline.get(1).getErrorStream(), 16 * 1024, "seed-load");
      long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
      for (Process p : pipeline) {
        long left = deadline - System.nanoTime();
        if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          pipeline.forEach(Process::destroyForcibly);
          throw new IllegalStateException("copying the data of " + master.address() + " did not finish within "
              + SEED_TIMEOUT);
        }
      }
      if (pipeline.get(0).exitValue() != 0) {
        throw new IllegalStateException("mariadb-dump from " + master.address() + " failed: "
            + dumpErrors.text().strip());
      }
      if (pipeline.get(1).exitValue() != 0) {
        throw new IllegalStateException("loading the dump of " + master.address() + " failed: "
            + SqlClient.errors(loadErrors.text()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run mariadb-dump: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while copying the data of " + master.address(), e);
    } finally {
      try {
        Files.deleteIfExists(options);
      } catch (IOException ignored) {
        // The directory is private; the next seed overwrites it.
      }
    }
  }
}
