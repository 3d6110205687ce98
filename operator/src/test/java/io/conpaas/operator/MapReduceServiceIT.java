package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.api.v1alpha1.MapReduceServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.local.ProcessSessions;
import io.conpaas.operator.testing.CodeUploads;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MapReduceService end to end on the local cloud: real operator, real agents running Hadoop's
 * daemons as child JVMs. Workers 2 -> 3 -> 1 keep every file (same checksums, no missing or
 * under-replicated block: leaving DataNodes were decommissioned before their VMs went); a wordcount
 * whose worker VM is killed mid-run still SUCCEEDS with the counts the test computed, and the worker
 * comes back on a new VM; a Cloud whose VMs are below 384 MiB is refused with a message naming the limit.
 */
class MapReduceServiceIT {
  private static final Duration SETTLE = Duration.ofSeconds(360);
  private static final String APP = "bigdata";
  private static final int INPUT_FILES = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
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

  @Test
  void aRunningJobSurvivesLosingAWorkerVm() throws Exception {
    client.resource(hadoop("job", 2)).create();
    awaitRunning("job", 2);
    // Words in several files (one map task each), counted here; replication 2 keeps every block on both workers.
    WebHdfs hdfs = new WebHdfs(endpoint("job", "namenode"));
    Random random = new Random(14);
    Map<String, Integer> expected = new TreeMap<>();
    for (int f = 0; f < INPUT_FILES; f++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 256 << 10) {
        String w = "w" + Integer.toString((int) Math.abs(random.nextGaussian() * 60), 36);
        expected.merge(w, 1, Integer::sum);
        text.append(w).append(random.nextInt(10) == 0 ? '\n' : ' ');
      }
      hdfs.create("/wc/in/part-" + f, text.toString().getBytes(StandardCharsets.UTF_8), "tester");
      assertThat(replication(endpoint("job", "namenode"), "/wc/in/part-" + f)).as("replication of the job's input").isGreaterThanOrEqualTo(2);
    }

    submit("job", examplesJar(), List.of("wordcount", "/wc/in", "/wc/out"));
    String rm = endpoint("job", "resourcemanager");
    // The victim: a worker running map tasks while the job runs (not the one holding the application
    // master when another worker has tasks: the common case, and AM recovery would add minutes).
    Agent victim = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(300))
        .until(() -> taskWorker(rm), java.util.Objects::nonNull);
    String lostVm = victim.getStatus().getInstanceId();
    long k0 = System.nanoTime();
    killVm(lostVm);

    await().atMost(Duration.ofSeconds(400)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      var jobs = service("job").getStatus().getJobs();
      assertThat(jobs).isNotEmpty();
      String state = jobs.get(jobs.size() - 1).getState();
      if (!state.equals("RUNNING") && !state.equals("SUCCEEDED")) {
        throw new IllegalStateException("the job ended " + state); // fails at once, not after the wait
      }
      assertThat(state).isEqualTo("SUCCEEDED");
    });
    long jobMs = (System.nanoTime() - k0) / 1_000_000;
    // The loss hit the job: attempts that ran on the lost worker were killed or failed, and ran again.
    var jobs = service("job").getStatus().getJobs();
    String jobId = jobs.get(jobs.size() - 1).getApplication().replace("application_", "job_");
    JsonNode history = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(
        () -> JSON.readTree(get(endpoint("job", "jobhistory") + "ws/v1/history/mapreduce/jobs/" + jobId).body())
            .path("job"), j -> j.has("state"));
    int lost = history.path("killedMapAttempts").asInt() + history.path("failedMapAttempts").asInt()
        + history.path("killedReduceAttempts").asInt() + history.path("failedReduceAttempts").asInt();
    System.out.printf("mapreduce: the job SUCCEEDED %d ms after killing worker %s's VM (%d attempts lost with it)%n",
        jobMs, victim.getMetadata().getName(), lost);
    assertThat(history.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(lost).as("task attempts lost with the worker").isPositive();
    Map<String, Integer> counted = new TreeMap<>();
    for (String name : hdfs.list("/wc/out")) {
      if (name.startsWith("part-")) {
        for (String line : new String(hdfs.open("/wc/out/" + name), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            String[] kv = line.split("\t");
            counted.put(kv[0], Integer.parseInt(kv[1]));
          }
        }
      }
    }
    assertThat(counted).isEqualTo(expected);

    // The service reconciles: the lost worker gets a new VM that joins, and HDFS lost no block.
    awaitRunning("job", 2);
    await().atMost(SETTLE).untilAsserted(() -> {
      Agent replaced = client.resources(Agent.class).inNamespace(ns).withName(victim.getMetadata().getName()).get();
      assertThat(replaced.getStatus().getInstanceId()).isNotEqualTo(lostVm);
      assertThat(replaced.getStatus().getFacts()).containsEntry(MapReduceRoleKeys.JOINED, "true");
      assertThat(hdfs.fsNamesystem().path("MissingBlocks").asLong()).isZero();
    });
    System.out.printf("mapreduce: worker %s back on a new VM %d ms after the kill%n", victim.getMetadata().getName(),
        (System.nanoTime() - k0) / 1_000_000);
    client.resources(MapReduceService.class).inNamespace(ns).withName("job").delete();
  }

  /** A worker agent whose NodeManager runs tasks of a RUNNING application, not its application master; or null. */
  private static Agent taskWorker(String rm) throws Exception {
    JsonNode apps = JSON.readTree(get(rm + "ws/v1/cluster/apps?states=RUNNING").body()).path("apps").path("app");
    if (!apps.isArray() || apps.isEmpty()) {
      return null;
    }
    String amNode = apps.get(0).path("amHostHttpAddress").asText();
    for (JsonNode node : JSON.readTree(get(rm + "ws/v1/cluster/nodes").body()).path("nodes").path("node")) {
      if (node.path("numContainers").asInt() > 0 && !node.path("nodeHTTPAddress").asText().equals(amNode)
          && "RUNNING".equals(node.path("state").asText())) {
        String id = node.path("id").asText();
        int port = Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
        for (Agent a : agents("job")) {
          if (MapReduceServiceSpec.ROLE_WORKERS.equals(a.getSpec().getRole()) && a.getStatus() != null
              && a.getStatus().getInstanceId() != null && nodeManagerPort(a.getStatus().getInstanceId()) == port) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** The port the worker in this local VM gave its NodeManager (its ports/nodePort file), or -1. */
  private static int nodeManagerPort(String instanceId) throws Exception {
    try (var files = Files.walk(workDir.resolve(instanceId), 8)) {
      return files.filter(f -> f.endsWith(Path.of("ports", "nodePort"))).findFirst()
          .map(f -> { try { return Integer.parseInt(Files.readString(f).strip()); } catch (Exception e) { return -1; } })
          .orElse(-1);
    }
  }

  /**
   * A VM lost without warning: its agent, the agent's descendants and session, and every process
   * started from the VM's directory (Hadoop's daemons and the task JVMs the NodeManager started in
   * sessions of their own) are killed at once.
   */
  private static void killVm(String instanceId) {
    long pid = LocalVms.pid(workDir, instanceId).orElseThrow();
    String vmDir = workDir.resolve(instanceId).toString();
    List<ProcessHandle> doomed = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(p -> { doomed.add(p); p.descendants().forEach(doomed::add); });
    ProcessSessions.members(pid).forEach(doomed::add);
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(vmDir)).orElse(false))
        .forEach(doomed::add);
    doomed.stream().distinct().forEach(ProcessHandle::destroyForcibly);
  }

  /** Runs JAR ARGS on the service's master the way `kubectl conpaas mapreduce submit` does (a CodeUpload). */
  private static void submit(String service, Path jar, List<String> args) {
    String token = UUID.randomUUID() + "" + UUID.randomUUID();
    CodeUpload u = new CodeUpload();
    u.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withGenerateName(service + "-job-").build());
    CodeUploadSpec spec = new CodeUploadSpec();
    spec.setServiceKind(CodeUploadSpec.ServiceKind.MapReduceService);
    spec.setService(service);
    spec.setArgs(args);
    spec.setTokenSha256(CodeUploads.sha256(token));
    u.setSpec(spec);
    String name = client.resource(u).create().getMetadata().getName();
    CodeUpload ready = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(CodeUpload.class).inNamespace(ns).withName(name).get(),
        r -> r.getStatus() != null && r.getStatus().getPhase() != null);
    assertThat(ready.getStatus().getPhase()).as(ready.getStatus().getMessage()).isEqualTo(CodeUploadPhase.Ready);
    CodeUploads.Result r = new CodeUploads(client, ns).put(ready, token, jar);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
  }

  /** An HDFS file's replication (WebHDFS GETFILESTATUS). */
  private static int replication(String namenode, String path) throws Exception {
    return JSON.readTree(get(namenode + "webhdfs/v1" + path + "?op=GETFILESTATUS").body()).path("FileStatus")
        .path("replication").asInt();
  }

  private static Path examplesJar() throws Exception {
    try (var jars = Files.list(DevCluster.repoRoot().resolve("agent-runtime/target/hadoop"))) {
      return jars.filter(p -> p.getFileName().toString().startsWith("hadoop-mapreduce-examples-")).findFirst()
          .orElseThrow();
    }
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
    return endpoint("mr", name);
  }

  private static String endpoint(String service, String name) {
    return service(service).getStatus().getEndpoints().stream().filter(e -> e.getName().equals(name))
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
