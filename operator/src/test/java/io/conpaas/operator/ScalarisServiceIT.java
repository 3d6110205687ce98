package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.api.v1alpha1.ScalarisServiceSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.OperatedWorld;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScalarisService end to end on the local cloud: real operator, real agent processes with
 * embedded Hazelcast members, keys through the nodes' HTTP APIs while the store scales and loses
 * a node without warning.
 */
class ScalarisServiceIT {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final String APP = "store";
  private static final int KEYS = 10_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path workDir;

  static OperatedWorld world;
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void startOperator() {
    world = OperatedWorld.start("kv", APP, workDir);
    client = world.client();
    ns = world.namespace();
  }

  @AfterAll
  static void stopOperator() {
    world.stop(SETTLE, ScalarisService.class);
  }

  @Test
  void keysSurviveScalingUpAndDownAndANodeKilledWithoutWarning() throws Exception {
    client.resource(store("kv", 3)).create();
    awaitRunning("kv", 3);
    assertThat(service("kv").getSpec().getBackupCount()).as("the CRD's default").isEqualTo(1);
    String first = endpoint("kv", "kv");
    String second = endpoint("kv", "kv-1");
    assertThat(endpoint("kv", "status")).isEqualTo(first.replace("/kv/", "/"));
    assertThat(get(endpoint("kv", "status") + "status").body()).contains("\"partitions\":71");

    // 10,000 keys written through the first node are read through another.
    long t0 = System.nanoTime();
    parallel(KEYS, i -> assertThat(put(first, "k" + i, "v" + i)).isEqualTo(204));
    long t1 = System.nanoTime();
    AtomicInteger wrong = new AtomicInteger();
    parallel(KEYS, i -> {
      HttpResponse<String> r = get(second + "m/k" + i);
      if (r.statusCode() != 200 || !r.body().equals("v" + i)) {
        wrong.incrementAndGet();
      }
    });
    System.out.printf("kv: %d keys written through nodes-0 in %d ms, read through nodes-1 in %d ms, %d wrong%n",
        KEYS, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000, wrong.get());
    assertThat(wrong.get()).isZero();

    // Hazelcast clients reach the same store at the first node's member address (the store's cluster name).
    com.hazelcast.client.config.ClientConfig cc = new com.hazelcast.client.config.ClientConfig();
    ScalarisService kv = service("kv");
    cc.setClusterName("conpaas." + ns + ".kv." + kv.getMetadata().getUid());
    cc.setProperty("hazelcast.logging.type", "none");
    cc.getNetworkConfig().addAddress(endpoint("kv", "hazelcast")).setSmartRouting(false);
    cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(15_000);
    com.hazelcast.core.HazelcastInstance hzClient = com.hazelcast.client.HazelcastClient.newHazelcastClient(cc);
    try {
      com.hazelcast.map.IMap<String, String> m = hzClient.getMap("m");
      assertThat(m.get("k9999")).isEqualTo("v9999");
      assertThat(m.size()).isEqualTo(KEYS);
    } finally {
      hzClient.shutdown();
    }

    // 3 -> 5 -> 2 while a writer writes through nodes-0 and a reader checks through nodes-1.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger();
    AtomicInteger failedWrites = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger failedReads = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(2);
    Future<?> writer = load.submit(() -> {
      while (!stop.get()) {
        int n = written.get();
        try {
          if (put(first, "w" + n, "x" + n) == 204) {
            written.incrementAndGet();
          } else {
            failedWrites.incrementAndGet();
          }
        } catch (Exception e) {
          failedWrites.incrementAndGet();
        }
      }
      return null;
    });
    Future<?> reader = load.submit(() -> {
      while (!stop.get()) {
        boolean initial = ThreadLocalRandom.current().nextBoolean() || written.get() == 0;
        int i = ThreadLocalRandom.current().nextInt(initial ? KEYS : written.get());
        String expected = initial ? "v" + i : "x" + i;
        try {
          HttpResponse<String> r = get(second + "m/" + (initial ? "k" : "w") + i);
          reads.incrementAndGet();
          if (r.statusCode() != 200 || !r.body().equals(expected)) {
            failedReads.incrementAndGet();
          }
        } catch (Exception e) {
          failedReads.incrementAndGet();
        }
      }
      return null;
    });
    String firstNodeVm = agent("kv-nodes-0").getStatus().getInstanceId();
    long s0 = System.nanoTime();
    scale("kv", 5);
    awaitRunning("kv", 5);
    long s1 = System.nanoTime();
    scale("kv", 2);
    awaitRunning("kv", 2);
    await().atMost(SETTLE).until(() -> agents().size() == 2);
    long s2 = System.nanoTime();
    stop.set(true);
    writer.get();
    reader.get();
    load.shutdown();
    System.out.printf("kv: scaled 3->5 in %d ms, 5->2 in %d ms; %d keys written (%d failed writes), %d reads "
        + "(%d failed) during scaling%n", (s1 - s0) / 1_000_000, (s2 - s1) / 1_000_000, written.get(),
        failedWrites.get(), reads.get(), failedReads.get());
    assertThat(failedReads.get()).isZero();
    assertThat(failedWrites.get()).isZero();
    assertThat(agents()).extracting(a -> a.getMetadata().getName()).containsExactlyInAnyOrder("kv-nodes-0",
        "kv-nodes-1");
    // The first node stays, with its VM and its endpoint.
    assertThat(agent("kv-nodes-0").getStatus().getInstanceId()).isEqualTo(firstNodeVm);
    assertThat(endpoint("kv", "kv")).isEqualTo(first);
    // Each leaving node's VM stayed until its agent had left the store (its entries moved).
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).filteredOn(e -> "RoleLeaving".equals(e.getReason()))
        .extracting(e -> e.getInvolvedObject().getName()).contains("kv-nodes-4", "kv-nodes-3", "kv-nodes-2");
    int lost = missing(first, written.get());
    System.out.printf("kv: after 3->5->2, %d of %d keys lost%n", lost, KEYS + written.get());
    assertThat(lost).isZero();

    // A node killed without warning: its entries' backups on the other node take over.
    Agent victim = agent("kv-nodes-1");
    long pid = LocalVms.pid(workDir, victim.getStatus().getInstanceId()).orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> !LocalVms.alive(pid));
    int lostAfterKill = missing(first, written.get());
    System.out.printf("kv: after killing nodes-1, %d of %d keys lost%n", lostAfterKill, KEYS + written.get());
    assertThat(lostAfterKill).isZero();
    // The operator replaces the VM and the new member joins the store again.
    await().atMost(SETTLE).untilAsserted(() -> {
      Agent a = agent("kv-nodes-1");
      assertThat(a.getStatus().getInstanceId()).isNotEqualTo(victim.getStatus().getInstanceId());
      assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running);
    });
    awaitRunning("kv", 2);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(get(endpoint("kv", "status") + "status").body()).contains("\"members\":[\"", "\",\""));
    assertThat(get(endpoint("kv", "kv-1") + "m/k42").body()).isEqualTo("v42");
    assertThat(endpoint("kv", "kv")).isEqualTo(first);
  }

  @Test
  void backupCountIsValidatedAndImmutable() {
    ScalarisService tooMany = store("kv-bad", 1);
    tooMany.getSpec().setBackupCount(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.resource(tooMany).create())
        .hasMessageContaining("backupCount");
    ScalarisService ok = store("kv-imm", 0);
    ok.getSpec().setBackupCount(2);
    client.resource(ok).create();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.resources(ScalarisService.class).inNamespace(ns)
        .withName("kv-imm").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":{\"backupCount\":3}}"))
        .hasMessageContaining("backupCount is set when the service is created");
    client.resources(ScalarisService.class).inNamespace(ns).withName("kv-imm").delete();
  }

  private interface KeyTask {
    void run(int i) throws Exception;
  }

  /** Runs task for 0..n-1 on 8 threads; any failure fails the test. */
  private static void parallel(int n, KeyTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int start = t;
        futures.add(pool.submit(() -> {
          for (int i = start; i < n; i += 8) {
            task.run(i);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Keys of both sets that node does not return with their value. */
  private static int missing(String node, int writtenDuringScaling) throws Exception {
    AtomicInteger missing = new AtomicInteger();
    parallel(KEYS, i -> {
      HttpResponse<String> r = get(node + "m/k" + i);
      if (r.statusCode() != 200 || !r.body().equals("v" + i)) {
        missing.incrementAndGet();
      }
    });
    parallel(writtenDuringScaling, i -> {
      HttpResponse<String> r = get(node + "m/w" + i);
      if (r.statusCode() != 200 || !r.body().equals("x" + i)) {
        missing.incrementAndGet();
      }
    });
    return missing.get();
  }

  private static int put(String kvUrl, String key, String value) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(kvUrl + "m/" + key)).timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      // The JDK client retries a GET, not a PUT, that it sent on a pooled connection closing under it (no byte of
      // an answer came back: "header parser received no bytes"; seen once in CI). The PUT is idempotent: send it
      // once more, as any HTTP client may; a second failure counts.
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ScalarisService store(String name, int nodes) {
    ScalarisService s = new ScalarisService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ScalarisServiceSpec spec = new ScalarisServiceSpec();
    spec.setApplication(APP);
    spec.setNodes(new ScaleRoleSpec(nodes));
    s.setSpec(spec);
    return s;
  }

  private static ScalarisService service(String name) {
    return client.resources(ScalarisService.class).inNamespace(ns).withName(name).get();
  }

  private static void scale(String name, int nodes) {
    client.resources(ScalarisService.class).inNamespace(ns).withName(name)
        .edit(s -> { s.getSpec().getNodes().setNodes(nodes); return s; });
  }

  private static String endpoint(String service, String name) {
    return service(service).getStatus().getEndpoints().stream().filter(e -> e.getName().equals(name))
        .map(Endpoint::getUrl).findFirst().orElseThrow(() -> new AssertionError("no endpoint " + name));
  }

  private static Agent agent(String name) {
    return client.resources(Agent.class).inNamespace(ns).withName(name).get();
  }

  private static List<Agent> agents() {
    return client.resources(Agent.class).inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, "kv").list().getItems();
  }

  private static void awaitRunning(String name, int replicas) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      ScalarisService s = service(name);
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReplicas()).isEqualTo(replicas);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getEndpoints()).isNotEmpty();
      assertThat(s.getStatus().getEndpoints().get(0).getName()).isEqualTo("kv");
    });
  }
}
