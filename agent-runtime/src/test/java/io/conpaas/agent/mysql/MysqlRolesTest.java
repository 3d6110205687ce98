package io.conpaas.agent.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conpaas.agent.AgentServer;
import io.conpaas.agent.KeytoolPki;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MariaDB master and slave, each behind its agent's mutual-TLS server, driven as the
 * operator drives them: configure, PUT credentials, configure again; then dumps, a password reset,
 * and /leave. The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MysqlRolesTest {
  private static final long DUMP_CAP = 64 * 1024;
  /** Quotes, a backslash, '#' and a space: what option files and SQL literals must carry intact. */
  private static final String TRICKY = "q\"u'o\\te #x ";

  @TempDir
  static Path dir;
  private static KeytoolPki pki;
  private static final Map<String, KeytoolPki.Pem> certificates = new java.util.HashMap<>();
  private static HttpClient operator;
  private static Agent master;
  private static Agent slave;
  private static Map<String, String> slaveConfig;
  private static Credentials v1;
  private static Credentials v2;
  private static final List<String> processSnapshots = new ArrayList<>();

  /** One agent: its server, its role and where it keeps files. */
  record Agent(AgentServer server, RolePlugin role, Path roleDir, String base) {
    Path socket() {
      return roleDir.resolve("server/mariadbd.sock");
    }

    int port() {
      return Integer.parseInt(role.facts().get(MysqlRoleKeys.PORT));
    }
  }

  @BeforeAll
  static void startMasterAndSlave() throws Exception {
    // The servers run as mysql when the tests run as root: it must reach the role directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    pki = KeytoolPki.create(Files.createDirectories(dir.resolve("pki")));
    KeytoolPki.Pem op = pki.issue(AgentServer.OPERATOR_CN, "eku=clientAuth");
    operator = HttpClient.newBuilder().sslContext(MutualTls.context(op.certificate(), op.privateKey(), pki.caPem()))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    String run = UUID.randomUUID().toString().substring(0, 8);
    v1 = new Credentials("v1-" + run + TRICKY + "user", "v1-" + run + TRICKY + "repl", "1001");
    v2 = new Credentials("v2-" + run + TRICKY + "user", "v2-" + run + TRICKY + "repl", "1002");

    master = start("db-master-0", "master", new MysqlMasterRole(DUMP_CAP),
        Map.of(MysqlRoleKeys.SERVER_ID, "1"));
    slaveConfig = Map.of(MysqlRoleKeys.SERVER_ID, "11", MysqlRoleKeys.MASTER_HOST, "127.0.0.1",
        MysqlRoleKeys.MASTER_PORT, Integer.toString(master.port()));
    slave = start("db-slaves-0", "slaves", new MysqlSlaveRole(), slaveConfig);
  }

  private static Agent start(String name, String role, RolePlugin plugin, Map<String, String> config)
      throws Exception {
    if (!certificates.containsKey(name)) {
      certificates.put(name, pki.issue(name, "eku=serverAuth", "san=ip:127.0.0.1"));
    }
    KeytoolPki.Pem cert = certificates.get(name);
    Path vm = Files.createDirectories(dir.resolve(name));
    AgentContext context = new AgentContext(name, "shop", "db", "MysqlService", role, 0, cert.certificate(),
        cert.privateKey(), pki.caPem(), config);
    AgentServer server = new AgentServer(context, plugin, new RoleContext(name, vm, "127.0.0.1"), 0);
    return new Agent(server, plugin, vm.resolve(role), "https://127.0.0.1:" + server.start());
  }

  @AfterAll
  static void stopAgents() {
    Stream.of(slave, master).filter(a -> a != null).forEach(a -> a.server().close());
  }

  @Test
  @Order(1)
  void slaveWithoutCredentialsServesButDoesNotReplicate() throws Exception {
    AgentInfo info = json(send(slave, "GET", AgentPaths.INFO, null), AgentInfo.class);
    assertThat(info.facts()).containsEntry(MysqlRoleKeys.REPLICATING, "false")
        .doesNotContainKey(MysqlRoleKeys.CREDENTIALS_VERSION);
    assertThat(Integer.parseInt(info.facts().get(MysqlRoleKeys.PORT))).isPositive();
    assertThat(MariaDbCli.socket(slave.socket()).query("SELECT @@server_id, @@read_only;")).isEqualTo("11\t1");
    assertThat(MariaDbCli.socket(master.socket()).query("SELECT @@server_id, @@log_bin, @@binlog_format;"))
        .isEqualTo("1\t1\tROW");

    HttpResponse<String> badPort = send(slave, "PUT", AgentPaths.CONFIG, config(MysqlRoleKeys.MASTER_PORT, "x"));
    assertThat(badPort.statusCode()).isEqualTo(422);
    assertThat(badPort.body()).contains(MysqlRoleKeys.MASTER_PORT);
    HttpResponse<String> badHost = send(slave, "PUT", AgentPaths.CONFIG, config(MysqlRoleKeys.MASTER_HOST, "a b;"));
    assertThat(badHost.statusCode()).isEqualTo(422);
    assertThat(badHost.body()).contains(MysqlRoleKeys.MASTER_HOST);
    assertThat(send(master, "GET", AgentPaths.MYSQL_CREDENTIALS, null).statusCode()).isEqualTo(405);
    HttpResponse<String> noVersion = send(master, "PUT", AgentPaths.MYSQL_CREDENTIALS,
        "{\"password\": \"secret-in-body\", \"replicationPassword\": \"x\"}");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(noVersion.body()).contains("version").doesNotContain("secret-in-body");
    assertThat(send(slave, "PUT", AgentPaths.MYSQL_DUMP, "SELECT 1;").statusCode()).isEqualTo(409);
  }

  @Test
  @Order(2)
  void credentialsCreateTheUsersThenTheSlaveSeedsAndReplicates() throws Exception {
    AgentInfo m = json(send(master, "PUT", AgentPaths.MYSQL_CREDENTIALS, credentials(v1)), AgentInfo.class);
    assertThat(m.facts()).containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1001");
    MariaDbCli onMaster = MariaDbCli.tcp(dir, "master-v1", master.port(), MysqlRoleKeys.USER, v1.password());
    onMaster.query("CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40));"
        + "INSERT INTO shop.items VALUES (1, 'before seeding');");
    // Our hash is the server's own.
    assertThat(onMaster.query("SELECT authentication_string FROM mysql.user WHERE user = 'mysqladb';"))
        .isEqualTo(CredentialStore.nativeHash(v1.password()));

    AgentInfo s = json(send(slave, "PUT", AgentPaths.MYSQL_CREDENTIALS, credentials(v1)), AgentInfo.class);
    assertThat(s.facts()).containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1001")
        .containsEntry(MysqlRoleKeys.REPLICATING, "false");

    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        processSnapshots.add(ps());
      }
    });
    sampler.start();
    HttpResponse<String> configured;
    try {
      configured = send(slave, "PUT", AgentPaths.CONFIG, AgentJson.mapper().writeValueAsString(slaveConfig));
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
    assertThat(json(configured, AgentInfo.class).facts()).containsEntry(MysqlRoleKeys.REPLICATING, "true")
        .containsKey(MysqlRoleKeys.SECONDS_BEHIND);
    assertThat(processSnapshots).as("the seeding's mariadb-dump was seen running")
        .anyMatch(p -> p.contains("mariadb-dump --defaults-file="));

    MariaDbCli onSlave = MariaDbCli.tcp(dir, "slave-v1", slave.port(), MysqlRoleKeys.USER, v1.password());
    assertThat(onSlave.query("SELECT name FROM shop.items WHERE id = 1;")).isEqualTo("before seeding");
    onMaster.query("INSERT INTO shop.items VALUES (2, 'replicated');");
    await(() -> onSlave.query("SELECT name FROM shop.items WHERE id = 2;").equals("replicated"), "row 2 on the slave");
    await(() -> java.util.Objects.equals(((MysqlRole) slave.role()).status().get(MysqlRoleKeys.GTID_POSITION),
        ((MysqlRole) master.role()).status().get(MysqlRoleKeys.GTID_POSITION)), () -> "equal GTID positions: slave "
        + ((MysqlRole) slave.role()).status() + ", master " + ((MysqlRole) master.role()).status());

    // Configuring again does not seed again: a slave-only row (a fresh copy would drop it) survives.
    MariaDbCli slaveRoot = MariaDbCli.socket(slave.socket());
    slaveRoot.query("INSERT INTO shop.items VALUES (99, 'only on the slave');");
    assertThat(send(slave, "PUT", AgentPaths.CONFIG, AgentJson.mapper().writeValueAsString(slaveConfig)).statusCode())
        .isEqualTo(200);
    assertThat(slaveRoot.query("DELETE FROM shop.items WHERE id = 99; SELECT ROW_COUNT();")).isEqualTo("1");
    JsonNode status = AgentJson.mapper().readTree(send(slave, "GET", AgentPaths.MYSQL_STATUS, null).body());
    assertThat(status.get("role").asText()).isEqualTo("slave");
    assertThat(status.get("seededFrom").asText()).isEqualTo("127.0.0.1:" + master.port());
    assertThat(status.get("replicating").asBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void aFailingDumpNamesItsLineAndWhetherSomethingWasApplied() throws Exception {
    HttpResponse<String> partly = send(master, "PUT", AgentPaths.MYSQL_DUMP, "CREATE TABLE shop.d1 (i INT);\n"
        + "INSERT INTO shop.d1 VALUES (1);\nINSERT INTO shop.d1 VALUES (2) oops;\nINSERT INTO shop.d1 VALUES (3);\n");
    assertThat(partly.statusCode()).isEqualTo(422);
    JsonNode e = AgentJson.mapper().readTree(partly.body());
    assertThat(e.get("line").asInt()).isEqualTo(3);
    assertThat(e.get("error").asText()).startsWith("line 3: ").contains("SQL syntax");
    assertThat(e.get("applied").asBoolean()).isTrue();
    MariaDbCli root = MariaDbCli.socket(master.socket());
    assertThat(root.query("SELECT COUNT(*) FROM shop.d1;")).isEqualTo("1");

    HttpResponse<String> nothing = send(master, "PUT", AgentPaths.MYSQL_DUMP,
        "/*!40101 SET NAMES utf8mb4 */;\n-- nothing changes before the error\nCREATE TABLE shop.d2 (i INT) garbage;\n");
    JsonNode n = AgentJson.mapper().readTree(nothing.body());
    assertThat(nothing.statusCode()).isEqualTo(422);
    assertThat(n.get("line").asInt()).isEqualTo(3);
    assertThat(n.get("applied").asBoolean()).isFalse();
    assertThat(root.query("SHOW TABLES FROM shop LIKE 'd2';")).isEmpty();

    HttpResponse<String> good = send(master, "PUT", AgentPaths.MYSQL_DUMP, "CREATE TABLE shop.d3 (i INT);\n"
        + "DELIMITER ;;\nCREATE PROCEDURE shop.p() BEGIN SELECT 1; SELECT 2; END;;\nDELIMITER ;\n"
        + "INSERT INTO shop.d3 VALUES (1), (2);\n");
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(AgentJson.mapper().readTree(good.body()).get("statements").asInt()).isEqualTo(3);
    MariaDbCli slaveRoot = MariaDbCli.socket(slave.socket());
    await(() -> slaveRoot.query("SELECT COUNT(*) FROM shop.d3;").equals("2"), "the dump's rows on the slave");
  }

  @Test
  @Order(4)
  void anOversizedDumpIsRefusedAndNothingIsApplied() throws Exception {
    StringBuilder big = new StringBuilder("CREATE TABLE shop.big (i INT);\n");
    while (big.length() <= DUMP_CAP + 1024) {
      big.append("INSERT INTO shop.big VALUES (1);\n");
    }
    byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
    // Streamed without a length (the cap hits while receiving), then with one (refused up front).
    HttpResponse<String> chunked = operator.send(request(master, AgentPaths.MYSQL_DUMP).PUT(
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("nothing was applied");
    assertThat(send(master, "PUT", AgentPaths.MYSQL_DUMP, big.toString()).statusCode()).isEqualTo(413);
    assertThat(MariaDbCli.socket(master.socket()).query("SHOW TABLES FROM shop LIKE 'big';")).isEmpty();
    assertThat(Files.list(master.roleDir().resolve("private")).map(p -> p.getFileName().toString()))
        .containsExactly("credentials.json");
  }

  @Test
  @Order(5)
  void aNewPasswordWorksTheOldOneNoLongerAndReplicationGoesOn() throws Exception {
    assertThat(json(send(master, "PUT", AgentPaths.MYSQL_CREDENTIALS, credentials(v2)), AgentInfo.class).facts())
        .containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1002");
    assertThat(json(send(slave, "PUT", AgentPaths.MYSQL_CREDENTIALS, credentials(v2)), AgentInfo.class).facts())
        .containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1002");

    MariaDbCli newOnMaster = MariaDbCli.tcp(dir, "master-v2", master.port(), MysqlRoleKeys.USER, v2.password());
    newOnMaster.query("INSERT INTO shop.items VALUES (3, 'after the reset');");
    MariaDbCli.Result old = MariaDbCli.tcp(dir, "master-v1", master.port(), MysqlRoleKeys.USER, v1.password())
        .run("SELECT 1;");
    assertThat(old.exitCode()).isNotZero();
    assertThat(old.output()).contains("Access denied");

    // The slave reconnected with the new replication password; the user change replicated too.
    MariaDbCli newOnSlave = MariaDbCli.tcp(dir, "slave-v2", slave.port(), MysqlRoleKeys.USER, v2.password());
    await(() -> newOnSlave.run("SELECT name FROM shop.items WHERE id = 3;").output().equals("after the reset"),
        "row 3 on the slave");
    await(() -> "true".equals(slave.role().facts().get(MysqlRoleKeys.REPLICATING)), "replicating again");
    JsonNode status = AgentJson.mapper().readTree(send(slave, "GET", AgentPaths.MYSQL_STATUS, null).body());
    assertThat(status.get("ioRunning").asBoolean()).isTrue();
    assertThat(status.get("lastError").isNull()).as(status.toString()).isTrue();
  }

  @Test
  @Order(6)
  void passwordsAppearInNoLogNoCommandLineNoAnswer() throws Exception {
    List<String> secrets = List.of(v1.password(), v1.replicationPassword(), v2.password(), v2.replicationPassword());
    processSnapshots.add(ps());
    for (String snapshot : processSnapshots) {
      for (String secret : secrets) {
        assertThat(snapshot).doesNotContain(secret);
      }
    }
    List<Path> files = new ArrayList<>();
    for (Agent a : List.of(master, slave)) {
      // Logs, and the binary and relay logs: users are created from hashes.
      try (Stream<Path> logs = Files.walk(a.roleDir().resolve("logs"))) {
        logs.filter(Files::isRegularFile).forEach(files::add);
      }
      try (Stream<Path> data = Files.list(a.roleDir().resolve("server/data"))) {
        data.filter(p -> p.getFileName().toString().matches("(binlog|relay-bin)\\.\\d+")).forEach(files::add);
      }
      for (String path : List.of(AgentPaths.INFO, AgentPaths.MYSQL_STATUS)) {
        String body = send(a, "GET", path, null).body();
        secrets.forEach(s -> assertThat(body).doesNotContain(s));
      }
      Path stored = a.roleDir().resolve("private/credentials.json");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.getParent()))).isEqualTo("rwx------");
    }
    assertThat(files).anyMatch(p -> p.getFileName().toString().startsWith("binlog."))
        .anyMatch(p -> p.getFileName().toString().equals("mariadbd.err"));
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertThat(text).as(f.toString()).doesNotContain(new String(secret.getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  @Order(7)
  void leaveStopsReplicationAndConfigureResumesWithoutSeedingAgain() throws Exception {
    assertThat(send(slave, "GET", AgentPaths.LEAVE, null).statusCode()).isEqualTo(405);
    // A slave-only row: seeding again would drop the table and lose it.
    MariaDbCli slaveRoot = MariaDbCli.socket(slave.socket());
    slaveRoot.query("INSERT INTO shop.items VALUES (100, 'only on the slave');");

    HttpResponse<String> left = send(slave, "POST", AgentPaths.LEAVE, "");
    assertThat(left.statusCode()).isEqualTo(200);
    assertThat(json(left, AgentInfo.class).facts()).containsEntry(MysqlRoleKeys.REPLICATING, "false");
    assertThat(slaveRoot.query("SHOW SLAVE STATUS;")).isEmpty();
    MariaDbCli onMaster = MariaDbCli.tcp(dir, "master-v2", master.port(), MysqlRoleKeys.USER, v2.password());
    onMaster.query("INSERT INTO shop.items VALUES (4, 'while detached');");
    Thread.sleep(1000);
    assertThat(slaveRoot.query("SELECT COUNT(*) FROM shop.items WHERE id = 4;")).isEqualTo("0");

    HttpResponse<String> again = send(slave, "PUT", AgentPaths.CONFIG, AgentJson.mapper().writeValueAsString(slaveConfig));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again, AgentInfo.class).facts()).containsEntry(MysqlRoleKeys.REPLICATING, "true");
    await(() -> slaveRoot.query("SELECT COUNT(*) FROM shop.items WHERE id = 4;").equals("1"), "row 4 after resuming");
    assertThat(slaveRoot.query("SELECT name FROM shop.items WHERE id = 100;")).isEqualTo("only on the slave");

    // A role with nothing to leave answers 200 too.
    assertThat(send(master, "POST", AgentPaths.LEAVE, "").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void aRestartedSlaveAgentKeepsItsCredentialsAndResumesWithoutSeeding() throws Exception {
    slave.server().close();
    slave = start("db-slaves-0", "slaves", new MysqlSlaveRole(), slaveConfig);
    AgentInfo info = json(send(slave, "GET", AgentPaths.INFO, null), AgentInfo.class);
    assertThat(info.facts()).containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1002")
        .containsEntry(MysqlRoleKeys.REPLICATING, "true");
    assertThat(info.configHash()).isEqualTo(io.conpaas.agent.api.ConfigHash.of(slaveConfig));
    MariaDbCli slaveRoot = MariaDbCli.socket(slave.socket());
    assertThat(slaveRoot.query("SELECT name FROM shop.items WHERE id = 100;")).isEqualTo("only on the slave");
    MariaDbCli.tcp(dir, "master-v2", master.port(), MysqlRoleKeys.USER, v2.password())
        .query("INSERT INTO shop.items VALUES (5, 'after the restart');");
    await(() -> slaveRoot.query("SELECT COUNT(*) FROM shop.items WHERE id = 5;").equals("1"), "row 5 after the restart");
  }

  @Test
  @Order(9)
  void aSlaveWhosePositionWasPurgedOnTheMasterIsSeededAgain() throws Exception {
    assertThat(send(slave, "POST", AgentPaths.LEAVE, "").statusCode()).isEqualTo(200);
    MariaDbCli masterRoot = MariaDbCli.socket(master.socket());
    masterRoot.query("INSERT INTO shop.items VALUES (6, 'while the binlog is purged');");
    String current = masterRoot.query("FLUSH BINARY LOGS; SHOW MASTER STATUS;").split("\t")[0];
    // The master keeps a file while its dump thread for the departed slave lingers: retry until purged.
    await(() -> {
      masterRoot.query("PURGE BINARY LOGS TO '" + current + "';");
      return masterRoot.query("SHOW BINARY LOGS;").lines().count() == 1;
    }, "binary logs purged");

    HttpResponse<String> again = send(slave, "PUT", AgentPaths.CONFIG, AgentJson.mapper().writeValueAsString(slaveConfig));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again, AgentInfo.class).facts()).containsEntry(MysqlRoleKeys.REPLICATING, "true");
    MariaDbCli slaveRoot = MariaDbCli.socket(slave.socket());
    assertThat(slaveRoot.query("SELECT COUNT(*) FROM shop.items WHERE id = 6;")).isEqualTo("1");
    // A fresh copy of the master: the slave-only row is gone.
    assertThat(slaveRoot.query("SELECT COUNT(*) FROM shop.items WHERE id = 100;")).isEqualTo("0");
  }

  private static String ps() {
    try {
      Process p = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String config(String key, String value) throws IOException {
    Map<String, String> c = new LinkedHashMap<>(slaveConfig);
    c.put(key, value);
    return AgentJson.mapper().writeValueAsString(c);
  }

  private static String credentials(Credentials c) throws IOException {
    return AgentJson.mapper().writeValueAsString(c);
  }

  private static HttpRequest.Builder request(Agent agent, String path) {
    return HttpRequest.newBuilder(URI.create(agent.base() + path)).timeout(Duration.ofSeconds(120));
  }

  private static HttpResponse<String> send(Agent agent, String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return operator.send(request(agent, path).method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T json(HttpResponse<String> r, Class<T> type) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return AgentJson.mapper().readValue(r.body(), type);
  }

  private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    await(condition, () -> what);
  }

  private static void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      Thread.sleep(100);
    }
  }
}
