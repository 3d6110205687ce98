package io.conpaas.agent.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.testing.WebHdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real master (NameNode, ResourceManager, JobHistory) and two workers (DataNode + NodeManager)
 * driven through the roles: workers wait for the master's address, join from their configuration,
 * and a leaving worker reports "left" only once the NameNode decommissioned its DataNode, with
 * every block still readable.
 */
class MapReduceRolesTest {
  private final MapReduceMasterRole master = new MapReduceMasterRole();
  private final MapReduceWorkerRole first = new MapReduceWorkerRole();
  private final MapReduceWorkerRole second = new MapReduceWorkerRole();

  // Kept when the test fails: the daemons' logs are below it (m/master/*/logs, w*/workers/*/logs).
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AfterEach
  void stopAll() {
    first.stop();
    second.stop();
    master.stop();
  }

  @Test
  void workersJoinFromTheirConfigurationAndALeavingWorkerWaitsForItsDecommission() throws Exception {
    // As root the daemons run as the VM's account (www-data here), which must reach the role directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    master.init(new RoleContext("mr-master-0", dir.resolve("m"), "127.0.0.1"));
    master.configure(Map.of(MapReduceRoleKeys.REPLICATION, "2"));
    // The NameNode starts once formatted (in the background); the other daemons at once.
    await().atMost(Duration.ofSeconds(480)).until(master::running);

    first.init(new RoleContext("mr-workers-0", dir.resolve("w0"), "127.0.0.1"));
    first.configure(Map.of());
    assertThat(first.facts()).containsEntry(MapReduceRoleKeys.WAITING, "true");
    Map<String, String> workerConfig = new HashMap<>(Map.of(MapReduceRoleKeys.MASTER_HOST, "127.0.0.1",
        MapReduceRoleKeys.REPLICATION, "2"));
    MapReduceRoleKeys.MASTER_PORTS.forEach(k -> workerConfig.put(k, master.facts().get(k)));
    first.configure(workerConfig);
    second.init(new RoleContext("mr-workers-1", dir.resolve("w1"), "127.0.0.1"));
    second.configure(workerConfig);
    await().atMost(Duration.ofSeconds(480)).until(() -> "true".equals(master.facts().get("serving"))
        && "true".equals(first.facts().get(MapReduceRoleKeys.JOINED))
        && "true".equals(second.facts().get(MapReduceRoleKeys.JOINED)));

    WebHdfs hdfs = new WebHdfs("http://127.0.0.1:" + master.facts().get(MapReduceRoleKeys.NAMENODE_HTTP_PORT));
    byte[] content = "to be kept\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    hdfs.create("/data/kept.txt", content, "tester");
    await().atMost(Duration.ofSeconds(30)).until(() -> hdfs.fsNamesystem().path("UnderReplicatedBlocks").asLong() == 0);

    // A job submitted to the master's jobs endpoint runs on the workers' NodeManagers.
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(MapReduceRoleKeys.JOBS_PATH, master.endpoints().get(MapReduceRoleKeys.JOBS_PATH));
    server.start();
    try {
      String jobs = "http://127.0.0.1:" + server.getAddress().getPort() + MapReduceRoleKeys.JOBS_PATH;
      Path examples;
      try (var jars = Files.list(HadoopLibrary.locate(io.conpaas.agent.process.WorkerUser.detect(), dir).jars())) {
        examples = jars.filter(p -> p.getFileName().toString().startsWith("hadoop-mapreduce-examples-")).findFirst()
            .orElseThrow();
      }
      var http = java.net.http.HttpClient.newHttpClient();
      var submitted = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          jobs + "?arg=wordcount&arg=/data/kept.txt&arg=/data/counts")).PUT(
          java.net.http.HttpRequest.BodyPublishers.ofFile(examples)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      assertThat(master.facts()).containsEntry(MapReduceRoleKeys.JOBS_RUNNING, "1");
      await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).until(() -> !http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(jobs)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("\"RUNNING\""));
      String listed = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(jobs)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(listed).as(listed).contains("\"SUCCEEDED\"");
      assertThat(master.facts()).containsEntry(MapReduceRoleKeys.JOBS_SUCCEEDED, "1");
      assertThat(new String(hdfs.open("/data/counts/part-r-00000"), StandardCharsets.UTF_8))
          .isEqualTo("be\t10000\nkept\t10000\nto\t10000\n");
    } finally {
      server.stop(0);
    }

    // The service shrinks to one worker: replication 1, then the leaving worker's DataNode is decommissioned.
    String leaving = second.facts().get(MapReduceRoleKeys.DATANODE);
    second.leave();
    assertThat(second.hasLeft()).isFalse();
    master.configure(Map.of(MapReduceRoleKeys.REPLICATION, "1", MapReduceRoleKeys.DECOMMISSION, leaving));
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(120)).until(second::hasLeft);
    System.out.printf("mapreduce: a DataNode decommissioned in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    // The operator releases the left worker's VM at once and no longer names it, possibly before the
    // master's own watcher saw the decommission. The NameNode must not take the stopped DataNode back
    // as in service (it would send readers to it for a minute, until its heartbeats expire).
    second.stop();
    master.configure(Map.of(MapReduceRoleKeys.REPLICATION, "1", MapReduceRoleKeys.DECOMMISSION, ""));
    long watchUntil = System.nanoTime() + Duration.ofSeconds(12).toNanos();
    while (System.nanoTime() < watchUntil) {
      assertThat(hdfs.datanodes().get(leaving)).as("the released DataNode's state at the NameNode")
          .isIn("Decommissioned", null);
      Thread.sleep(200);
    }
    assertThat(master.facts().get(MapReduceRoleKeys.DECOMMISSIONED)).isEqualTo(leaving);
    assertThat(hdfs.open("/data/kept.txt")).isEqualTo(content);
    assertThat(hdfs.fsNamesystem().path("MissingBlocks").asLong()).isZero();
  }
}
