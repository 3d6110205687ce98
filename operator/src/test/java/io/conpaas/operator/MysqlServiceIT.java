package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.CodeUploads;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.OutputCapture;
import io.conpaas.operator.testing.Sql;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MySQL service end to end on real MariaDB agents of the local cloud (manual 2.5): a random
 * password only in a Secret, rows written on the master reach every slave, slaves scaled 0 → 2 → 1
 * while writing lose no committed row, dumps applied or refused with their line, the password
 * reset, and the password in no status, event or log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MysqlServiceIT {
  private static final long DUMP_CAP = 64 * 1024;

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private OutputCapture output;
  private KubernetesClient client;
  private LocalWorld world;
  private ConpaasOperator operator;
  private String firstPassword;

  @BeforeAll
  void start() throws IOException {
    output = new OutputCapture();
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    world = LocalWorld.create(client, "mysql", workDir);
    var settings = TestOperator.settings(world.namespace(), workDir, Duration.ofSeconds(90), 3);
    ArchiveLimits d = ArchiveLimits.defaults();
    operator = TestOperator.start(settings, TestOperator.localDrivers(workDir),
        CodeSettings.beside(workDir).withLimits(new ArchiveLimits(DUMP_CAP, d.maxExpandedBytes(), d.maxEntries(),
            d.maxRatio())));
    MysqlService db = new MysqlService();
    db.setMetadata(new ObjectMetaBuilder().withNamespace(world.namespace()).withName("db").build());
    MysqlServiceSpec spec = new MysqlServiceSpec();
    spec.setApplication(LocalWorld.APP);
    spec.setMaster(new RoleSpec(1));
    spec.setSlaves(new ScaleRoleSpec(0));
    db.setSpec(spec);
    client.resource(db).create();
    awaitRunning(0);
  }

  @AfterAll
  void stop() {
    try {
      if (operator != null) {
        client.resources(MysqlService.class).inNamespace(world.namespace()).withName("db").delete();
        await().atMost(Duration.ofSeconds(90)).until(() -> service() == null);
        operator.close();
      }
      world.close();
    } finally {
      output.close();
    }
  }

  @Test
  @Order(1)
  void theMasterAcceptsMysqladbWithTheRandomPasswordOfTheSecretTheStatusNames() {
    MysqlService s = service();
    assertThat(s.getStatus().getMysql().getPasswordSecret()).isEqualTo("db-mysql");
    assertThat(s.getStatus().getMysql().getUser()).isEqualTo("mysqladb");
    assertThat(s.getStatus().getEndpoints().get(0).getUrl()).startsWith("127.0.0.1:");
    firstPassword = password();
    assertThat(firstPassword).hasSizeGreaterThanOrEqualTo(16);
    Sql.ok(master(), "mysqladb", firstPassword, "CREATE DATABASE shop; CREATE TABLE shop.posts "
        + "(id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200)); INSERT INTO shop.posts (title) VALUES ('first')");
    assertThat(Sql.ok(master(), "mysqladb", firstPassword, "SELECT COUNT(*) FROM shop.posts")).isEqualTo("1");
    assertThat(Sql.run(master(), "mysqladb", "not-the-password", "SELECT 1").ok()).isFalse();
  }

  @Test
  @Order(2)
  void slavesScaledZeroToTwoToOneWhileWritingLoseNoCommittedRowAndHoldEveryRow() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger committed = new AtomicInteger(1);
    AtomicInteger failed = new AtomicInteger();
    Thread writer = new Thread(() -> {
      while (writing.get()) {
        if (Sql.run(master(), "mysqladb", firstPassword,
            "INSERT INTO shop.posts (title) VALUES ('row')").ok()) {
          committed.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
      }
    });
    writer.start();
    try {
      scale(2);
      awaitRunning(2);
      assertSlavesHoldEveryRow(2);
      scale(1);
      awaitRunning(1);
      await().atMost(Duration.ofSeconds(60)).until(() -> agents(MysqlServiceSpec.ROLE_SLAVES).size() == 1);
    } finally {
      writing.set(false);
      writer.join(30_000);
    }
    System.out.printf("writes while scaling slaves 0 -> 2 -> 1: %d committed, %d failed%n", committed.get(),
        failed.get());
    assertThat(failed.get()).isZero();
    assertThat(Sql.ok(master(), "mysqladb", firstPassword, "SELECT COUNT(*) FROM shop.posts"))
        .isEqualTo(Integer.toString(committed.get()));
    assertSlavesHoldEveryRow(1);
    assertThat(service().getStatus().getMysql().getReplicas()).hasSize(1)
        .allSatisfy(r -> assertThat(r.getReplicating()).isTrue());
    // Slaves are read-only for users too (a write there would break replication).
    Sql.Result onSlave = Sql.run(slaves().get(0), "mysqladb", firstPassword,
        "INSERT INTO shop.posts (title) VALUES ('on a slave')");
    assertThat(onSlave.ok()).isFalse();
    assertThat(onSlave.output()).contains("1290");
  }

  @Test
  @Order(3)
  void aDumpIsAppliedOnTheMasterABrokenOneIsReportedWithItsLineAndAnOversizedOneAppliesNothing()
      throws IOException {
    CodeUploads uploads = new CodeUploads(client, world.namespace());
    Path good = Files.writeString(files.resolve("good.sql"), """
        CREATE TABLE shop.tags (name VARCHAR(50));
        INSERT INTO shop.tags VALUES ('a');
        INSERT INTO shop.tags VALUES ('b');
        """);
    CodeUploads.Result ok = uploads.upload(ServiceKind.MysqlService, "db", null, good);
    assertThat(ok.status()).as(ok.body()).isBetween(200, 201);
    assertThat(ok.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Completed);
    assertThat(Sql.ok(master(), "mysqladb", firstPassword, "SELECT COUNT(*) FROM shop.tags")).isEqualTo("2");

    Path broken = Files.writeString(files.resolve("broken.sql"), """
        INSERT INTO shop.tags VALUES ('c');
        INSERT INTO shop.tags VALUES ('d');
        INSERT INTO shop.tags VALUS ('e');
        INSERT INTO shop.tags VALUES ('f');
        """);
    CodeUploads.Result bad = uploads.upload(ServiceKind.MysqlService, "db", null, broken);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("line 3").contains("\"applied\":true");
    assertThat(bad.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Failed);
    assertThat(bad.request().getStatus().getMessage()).contains("line 3");

    StringBuilder big = new StringBuilder();
    while (big.length() <= DUMP_CAP) {
      big.append("INSERT INTO shop.tags VALUES ('too much');\n");
    }
    Path oversized = Files.writeString(files.resolve("big.sql"), big);
    CodeUploads.Result tooBig = uploads.upload(ServiceKind.MysqlService, "db", null, oversized);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.body()).contains("nothing was applied");
    assertThat(Sql.ok(master(), "mysqladb", firstPassword,
        "SELECT COUNT(*) FROM shop.tags WHERE name = 'too much'")).isEqualTo("0");
  }

  @Test
  @Order(4)
  void changingTheSecretResetsThePasswordOnEveryAgent() {
    String next = "reset-" + Long.toHexString(System.nanoTime()) + "-Pw";
    Secret updated = client.secrets().inNamespace(world.namespace()).withName("db-mysql").edit(s ->
        new SecretBuilder(s).addToData("password", Base64.getEncoder().encodeToString(
            next.getBytes(StandardCharsets.UTF_8))).build());
    String version = updated.getMetadata().getResourceVersion();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        client.resources(Agent.class).inNamespace(world.namespace()).list().getItems())
        .allSatisfy(a -> assertThat(a.getStatus().getFacts().get(MysqlRoleKeys.CREDENTIALS_VERSION))
            .isEqualTo(version)));
    assertThat(Sql.run(master(), "mysqladb", firstPassword, "SELECT 1").ok()).isFalse();
    assertThat(Sql.ok(master(), "mysqladb", next, "SELECT COUNT(*) FROM shop.posts")).isNotBlank();
    for (String slave : slaves()) {
      assertThat(Sql.run(slave, "mysqladb", next, "SELECT 1").ok()).as(slave).isTrue();
    }
    awaitRunning(1);
  }

  @Test
  @Order(5)
  void noPasswordAppearsInTheServiceEventsOrAnyLog() throws IOException {
    String current = password();
    String yaml = Kubectl.ok("-n", world.namespace(), "get", "mysqlservice", "db", "-o", "yaml");
    String agentsYaml = Kubectl.ok("-n", world.namespace(), "get", "agents", "-o", "yaml");
    String events = Kubectl.ok("-n", world.namespace(), "get", "events", "-o", "yaml");
    StringBuilder agentLogs = new StringBuilder();
    try (Stream<Path> logs = Files.walk(workDir)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p)).toList()) {
        agentLogs.append(Files.readString(log, StandardCharsets.ISO_8859_1));
      }
    }
    for (String secret : List.of(firstPassword, current)) {
      assertThat(yaml).doesNotContain(secret);
      assertThat(agentsYaml).doesNotContain(secret);
      assertThat(events).doesNotContain(secret);
      assertThat(output.text()).doesNotContain(secret);
      assertThat(agentLogs.toString()).doesNotContain(secret);
    }
    assertThat(agentLogs.length()).isGreaterThan(0);
  }

  @Test
  @Order(6)
  void aMasterWhoseVmDiesIsReportedAndNotReplacedByAnEmptyOne() {
    Agent master = agents(MysqlServiceSpec.ROLE_MASTER).get(0);
    String instance = master.getStatus().getInstanceId();
    long pid = LocalVms.pid(workDir, instance).orElseThrow();
    ProcessHandle.of(pid).ifPresent(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      MysqlService s = service();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(s.getStatus().getMessage()).contains("master db-master-0 is down").contains("not replaced");
      assertThat(s.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Degraded");
        assertThat(c.getStatus()).isEqualTo("True");
      });
    });
    Agent after = agents(MysqlServiceSpec.ROLE_MASTER).get(0);
    assertThat(after.getStatus().getPhase()).isEqualTo(AgentPhase.Failed);
    assertThat(after.getStatus().getVmSerial()).isEqualTo(master.getStatus().getVmSerial());
    // The slave keeps every row it had.
    assertThat(Sql.ok(slaves().get(0), "mysqladb", password(), "SELECT COUNT(*) FROM shop.posts")).isNotEqualTo("0");
  }

  private void assertSlavesHoldEveryRow(int slaves) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<String> addresses = slaves();
      assertThat(addresses).hasSize(slaves);
      String onMaster = Sql.ok(master(), "mysqladb", firstPassword, "SELECT COUNT(*) FROM shop.posts");
      for (String slave : addresses) {
        assertThat(Sql.ok(slave, "mysqladb", firstPassword, "SELECT COUNT(*) FROM shop.posts")).as(slave)
            .isEqualTo(onMaster);
      }
    });
  }

  private void scale(int slaves) {
    client.resources(MysqlService.class).inNamespace(world.namespace()).withName("db").scale(slaves);
  }

  private void awaitRunning(int slaves) {
    await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() -> {
      MysqlService s = service();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getReplicas()).isEqualTo(slaves);
      assertThat(s.getStatus().getEndpoints()).isNotEmpty();
    });
  }

  private MysqlService service() {
    return client.resources(MysqlService.class).inNamespace(world.namespace()).withName("db").get();
  }

  private String master() {
    return service().getStatus().getEndpoints().get(0).getUrl();
  }

  /** host:port of each Running slave. */
  private List<String> slaves() {
    return agents(MysqlServiceSpec.ROLE_SLAVES).stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .map(a -> "127.0.0.1:" + a.getStatus().getFacts().get(MysqlRoleKeys.PORT)).toList();
  }

  private List<Agent> agents(String role) {
    return client.resources(Agent.class).inNamespace(world.namespace()).withLabel("conpaas.io/role", role).list()
        .getItems();
  }

  private String password() {
    Secret s = client.secrets().inNamespace(world.namespace()).withName("db-mysql").get();
    return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
  }
}
