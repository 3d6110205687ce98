package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.api.v1alpha1.MapReduceServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.conpaas.testing.WebHdfs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MapReduceService end to end on the local cloud: real operator, real agents running Hadoop's
 * daemons as child JVMs. Workers 2 -> 3 -> 1 keep every file (same checksums, no missing or
 * under-replicated block: leaving DataNodes were decommissioned before their VMs went); a Cloud
 * whose VMs are below 384 MiB is refused with a message naming the limit.
 */
class MapReduceServiceIT {
  private static final Duration SETTLE = Duration.ofSeconds(360);
  private static final String APP = "bigdata";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(20)).build();

  @TempDir
  static Path workDir;

  static KubernetesClient client;
  static String ns;
  static String cloudName;
  static String smallCloud;
  static ConpaasOperator operator;

  @BeforeAll
  static void startOperator() throws Exception {
    // As root each VM's daemons run as the VM's own account, which must pass through the work dir.
    Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    ns = TestNamespace.create(client, "mr");
    cloudName = "local-" + ns;
    smallCloud = "small-" + ns;
    client.resource(Fixtures.localCloud(cloudName, workDir)).create();
    Cloud small = Fixtures.localCloud(smallCloud, workDir.resolve("small"));
    small.getSpec().getLocal().setMemoryMb(256);
    client.resource(small).create();
    client.resource(Fixtures.application(ns, APP, cloudName)).create();
    operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir));
  }

  @AfterAll
  static void stopOperator() {
    client.resources(MapReduceService.class).inNamespace(ns).delete();
    await().atMost(SETTLE).until(() -> client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
    operator.close();
    client.resources(Cloud.class).withName(cloudName).delete();
    client.resources(Cloud.class).withName(smallCloud).delete();
  }

  @Test
  void aCloudWithVmsBelow384MibIsRefusedWithTheLimit() {
    MapReduceService tiny = hadoop("tiny", 1);
    tiny.getSpec().getWorkers().setCloud(smallCloud);
    client.resource(tiny).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      MapReduceService s = service("tiny");
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(s.getStatus().getMessage()).contains("at least 384 MiB", "role workers", "256 MiB", smallCloud,
          "spec.local.memoryMb");
    });
    assertThat(agents("tiny")).isEmpty();
    client.resources(MapReduceService.class).inNamespace(ns).withName("tiny").delete();
  }

  @Test
  void filesSurviveScalingTwoThreeOne() throws Exception {
    client.resource(hadoop("mr", 2)).create();
    long t0 = System.nanoTime();
    awaitRunning("mr", 2);
    System.out.printf("mapreduce: master + 2 workers RUNNING in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(service("mr").getStatus().getEndpoints()).extracting(Endpoint::getName)
        .containsExactly("namenode", "resourcemanager", "jobhistory", "hdfs", "yarn", "history", "yarn-scheduler");
    assertThat(get(endpoint("namenode") + "dfshealth.html").statusCode()).isEqualTo(200);
    assertThat(get(endpoint("resourcemanager") + "ws/v1/cluster/info").body()).contains("STARTED");

    // Files to keep through the scaling (the wordcount through the plugin's mapreduce submit is the
    // kubectl-plugin module's MapReduceSubmitIT).
    Random random = new Random(13);
    WebHdfs hdfs = new WebHdfs(endpoint("namenode"));
    Map<String, String> sums = new TreeMap<>();
    for (String path : List.of("/in/a.bin", "/in/b.bin")) {
      byte[] data = new byte[3 << 20];
      random.nextBytes(data);
      hdfs.create(path, data, "tester");
      sums.put(path, sha256(data));
    }
    assertThat(checksums(hdfs, sums.keySet())).isEqualTo(sums);

    scale("mr", 3);
    awaitRunning("mr", 3);
    assertThat(checksums(hdfs, sums.keySet())).isEqualTo(sums);

    long s0 = System.nanoTime();
    scale("mr", 1);
    awaitRunning("mr", 1);
    await().atMost(SETTLE).until(() -> agents("mr").size() == 2);
    System.out.printf("mapreduce: workers 3 -> 1 (two DataNodes decommissioned) in %d ms%n",
        (System.nanoTime() - s0) / 1_000_000);
    // Each leaving worker's VM stayed until its DataNode was decommissioned.
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).filteredOn(e -> "RoleLeaving".equals(e.getReason()))
        .extracting(e -> e.getInvolvedObject().getName()).contains("mr-workers-2", "mr-workers-1");
    assertThat(checksums(hdfs, sums.keySet())).isEqualTo(sums);
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      var fs = hdfs.fsNamesystem();
      assertThat(fs.path("MissingBlocks").asLong()).isZero();
      assertThat(fs.path("UnderReplicatedBlocks").asLong()).isZero();
    });
  }

  private static Map<String, String> checksums(WebHdfs hdfs, Iterable<String> paths) throws Exception {
    Map<String, String> sums = new TreeMap<>();
    for (String p : paths) {
      sums.put(p, sha256(hdfs.open(p)));
    }
    return sums;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static MapReduceService hadoop(String name, int workers) {
    MapReduceService s = new MapReduceService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    MapReduceServiceSpec spec = new MapReduceServiceSpec();
    spec.setApplication(APP);
    spec.setMaster(new RoleSpec(1));
    spec.setWorkers(new ScaleRoleSpec(workers));
    spec.setReplication(2);
    s.setSpec(spec);
    return s;
  }

  private static MapReduceService service(String name) {
    return client.resources(MapReduceService.class).inNamespace(ns).withName(name).get();
  }

  private static void scale(String name, int workers) {
    client.resources(MapReduceService.class).inNamespace(ns).withName(name)
        .edit(s -> { s.getSpec().getWorkers().setNodes(workers); return s; });
  }

  private static String endpoint(String name) {
    return service("mr").getStatus().getEndpoints().stream().filter(e -> e.getName().equals(name))
        .map(Endpoint::getUrl).findFirst().orElseThrow(() -> new AssertionError("no endpoint " + name));
  }

  private static List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, service).list()
        .getItems();
  }

  private static void awaitRunning(String name, int workers) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      MapReduceService s = service(name);
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReplicas()).isEqualTo(workers);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getEndpoints()).isNotEmpty();
    });
  }
}
