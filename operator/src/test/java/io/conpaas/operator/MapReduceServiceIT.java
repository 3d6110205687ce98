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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MapReduceService end to end on the local cloud: real operator, real agents running Hadoop's
 * daemons as child JVMs. Hadoop's wordcount example over a file put into HDFS gives the counts the
 * test computed; workers 2 -> 3 -> 1 keep every file (same checksums, no missing or
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
  void wordcountGivesTheExpectedCountsAndFilesSurviveScalingTwoThreeOne() throws Exception {
    client.resource(hadoop("mr", 2)).create();
    long t0 = System.nanoTime();
    awaitRunning("mr", 2);
    System.out.printf("mapreduce: master + 2 workers RUNNING in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(service("mr").getStatus().getEndpoints()).extracting(Endpoint::getName)
        .containsExactly("namenode", "resourcemanager", "jobhistory", "hdfs", "yarn", "history", "yarn-scheduler");
    assertThat(get(endpoint("namenode") + "dfshealth.html").statusCode()).isEqualTo(200);
    assertThat(get(endpoint("resourcemanager") + "ws/v1/cluster/info").body()).contains("STARTED");

    // A few MiB of words with counts the test knows.
    Random random = new Random(13);
    String[] vocabulary = new String[400];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "w" + Integer.toString(i * 7919 + 11, 36);
    }
    StringBuilder text = new StringBuilder();
    Map<String, Integer> expected = new TreeMap<>();
    while (text.length() < 3 << 20) {
      String w = vocabulary[(int) Math.abs(random.nextGaussian() * 80) % vocabulary.length];
      expected.merge(w, 1, Integer::sum);
      text.append(w).append(random.nextInt(12) == 0 ? '\n' : ' ');
    }
    byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
    WebHdfs hdfs = new WebHdfs(endpoint("namenode"));
    hdfs.create("/in/words.txt", input, "tester");

    long j0 = System.nanoTime();
    Process job = submitWordcount("/in", "/out");
    assertThat(job.waitFor(10, TimeUnit.MINUTES)).as("wordcount ended").isTrue();
    assertThat(job.exitValue()).as(Files.readString(workDir.resolve("job.log"))).isZero();
    System.out.printf("mapreduce: wordcount of %d bytes in %d ms%n", input.length, (System.nanoTime() - j0) / 1_000_000);
    Map<String, Integer> counted = new TreeMap<>();
    for (String line : new String(hdfs.open("/out/part-r-00000"), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        String[] kv = line.split("\t");
        counted.put(kv[0], Integer.parseInt(kv[1]));
      }
    }
    assertThat(counted).isEqualTo(expected);

    Map<String, String> sums = new TreeMap<>();
    sums.put("/in/words.txt", sha256(input));
    sums.put("/out/part-r-00000", sha256(hdfs.open("/out/part-r-00000")));

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

  /** Runs Hadoop's wordcount example from this machine as a Hadoop client of the service (its endpoints). */
  private static Process submitWordcount(String in, String out) throws Exception {
    Path conf = Files.createDirectories(workDir.resolve("client-conf"));
    String nn = endpoint("hdfs");
    Files.writeString(conf.resolve("core-site.xml"), site(Map.of("fs.defaultFS", nn)));
    Files.writeString(conf.resolve("yarn-site.xml"), site(Map.of("yarn.resourcemanager.address", endpoint("yarn"),
        "yarn.resourcemanager.scheduler.address", endpoint("yarn-scheduler"),
        "yarn.application.classpath", "$HADOOP_CONF_DIR,$HADOOP_MAPRED_HOME/*")));
    Files.writeString(conf.resolve("mapred-site.xml"), site(Map.of("mapreduce.framework.name", "yarn",
        "mapreduce.application.classpath", "$HADOOP_CONF_DIR,$HADOOP_MAPRED_HOME/*",
        "mapreduce.jobhistory.address", endpoint("history"),
        "yarn.app.mapreduce.am.resource.mb", "256", "yarn.app.mapreduce.am.command-opts", "-Xmx192m",
        "mapreduce.map.memory.mb", "256", "mapreduce.reduce.memory.mb", "256",
        "mapreduce.map.java.opts", "-Xmx160m", "mapreduce.reduce.java.opts", "-Xmx160m",
        "mapreduce.task.io.sort.mb", "32")));
    Path lib = TestOperator.agentJar().getParent().resolve("hadoop");
    Path examples;
    try (var jars = Files.list(lib)) {
      examples = jars.filter(p -> p.getFileName().toString().startsWith("hadoop-mapreduce-examples-")).findFirst()
          .orElseThrow();
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-cp", conf + ":" + lib + "/*", "org.apache.hadoop.util.RunJar", examples.toString(), "wordcount", in, out));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(workDir.resolve("job.log").toFile())
        .start();
  }

  private static String site(Map<String, String> properties) {
    StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach((k, v) -> s.append("<property><name>").append(k).append("</name><value>").append(v)
        .append("</value></property>\n"));
    return s.append("</configuration>\n").toString();
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
