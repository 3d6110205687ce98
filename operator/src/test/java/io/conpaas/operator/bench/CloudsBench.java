package io.conpaas.operator.bench;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.ec2.ThrottlingProxy;
import io.conpaas.operator.ConpaasOperator;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * hack/bench-clouds.sh: counts EC2 API calls by name (at a proxy in front of moto that also
 * enforces a 5-burst, 2-per-second RunInstances limit) while the operator launches 1 service x 100
 * agents in batches (until every Agent is bound to an instance; no agent boots), then converges
 * 1 service x 50 agents and 20 services x 5 agents (every agent booted by the rig), and the
 * DescribeInstances rate once everything runs. BENCH_CLOUDS=batch runs the batch part only.
 * Prints numbers; asserts nothing.
 */
public final class CloudsBench {
  private static final int BURST = 5;
  private static final double PER_SECOND = 2.0;
  private static final Duration STEADY = Duration.ofSeconds(30);

  private CloudsBench() {}

  public static void main(String[] args) throws Exception {
    KubernetesClient client = DevCluster.client();
    Path work = Files.createTempDirectory("bench-clouds");
    Process moto = startMoto(work);
    try {
      URI motoUri = URI.create("http://127.0.0.1:" + motoPort);
      awaitHttp(motoUri);
      boolean batchOnly = "batch".equals(System.getenv("BENCH_CLOUDS"));
      try (ThrottlingProxy proxy = new ThrottlingProxy(motoUri, "RunInstances",
               ThrottlingProxy.tokenBucket(BURST, PER_SECOND));
           MotoCloud rigView = new MotoCloud(motoUri)) {
        String ns = TestNamespace.create(client, "bench-clouds");
        String cloud = "bench-" + ns;
        client.resource(CloudFixtures.secret(ns, "aws", Map.of("accessKeyId", "AKIABENCH",
            "secretAccessKey", "bench"))).create();
        client.resource(CloudFixtures.ec2(cloud, proxy.endpoint(), new SecretRef("aws", ns))).create();
        client.resource(Fixtures.application(ns, "app", cloud)).create();
        OperatorSettings settings = new OperatorSettings("bench-" + ns, "conpaas-system", Duration.ofSeconds(180),
            3, Duration.ofSeconds(5), Duration.ofMillis(500), work.resolve("operator"), Set.of(ns),
            Duration.ofMinutes(5), Duration.ofSeconds(30), 0.5, Duration.ofSeconds(60));
        try (ConpaasOperator op = new ConpaasOperator(client, settings, TestOperator.localDrivers(work),
            Clock.systemUTC())) {
          op.start();
          System.out.printf("EC2 API calls at the proxy in front of moto (RunInstances limit: burst %d, %.0f/s)%n",
              BURST, PER_SECOND);
          batched(client, ns, proxy, rigView, 100);
          if (!batchOnly) {
            try (HypervisorRig rig = new HypervisorRig(rigView, work.resolve("rig"), TestOperator.agentLauncher())) {
              scenario(client, ns, proxy, 1, 50);
              scenario(client, ns, proxy, 20, 5);
            }
          }
        } finally {
          client.resources(Cloud.class).withName(cloud).delete();
        }
      }
    } finally {
      moto.destroyForcibly();
    }
    System.exit(0);
  }

  private static void scenario(KubernetesClient client, String ns, ThrottlingProxy proxy, int services, int agents)
      throws InterruptedException {
    int total = services * agents;
    Map<String, Integer> before = proxy.counts();
    long t0 = System.nanoTime();
    for (int s = 0; s < services; s++) {
      client.resource(Fixtures.helloWorld(ns, "svc" + s, "app", agents, "bench")).create();
    }
    awaitAll(client, ns, services);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Integer> converge = delta(before, proxy.counts());
    Map<String, Integer> settled = proxy.counts();
    Thread.sleep(STEADY.toMillis());
    Map<String, Integer> steady = delta(settled, proxy.counts());
    System.out.printf("%n%d service(s) x %d agents = %d VMs: RUNNING after %.1f s (the limit alone forces >= %.1f s)%n",
        services, agents, total, seconds, Math.max(0, (total - BURST) / PER_SECOND));
    // When the last VM was created says what the API limit cost; the rest is agents booting.
    System.out.printf("  last RunInstances let through after %.1f s%n",
        (proxy.lastAcceptedNanos("RunInstances") - t0) / 1e9);
    System.out.println("  calls while converging: " + converge);
    System.out.printf("  DescribeInstances per minute once running (%d agents, 1 Cloud): %.1f%n", total,
        steady.getOrDefault("DescribeInstances", 0) * 60.0 / STEADY.toSeconds());
    before = proxy.counts();
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    while (!client.resources(HelloWorldService.class).inNamespace(ns).list().getItems().isEmpty()) {
      Thread.sleep(500);
    }
    System.out.println("  calls while releasing: " + delta(before, proxy.counts()));
  }

  /**
   * 1 service x n agents until each Agent is bound to an instance: RunInstances calls, the time from
   * the first RunInstances to the last one let through (what the limit costs: one call per VM needs
   * >= (n - burst) / rate), and the proxy's busy time answering RunInstances.
   */
  private static void batched(KubernetesClient client, String ns, ThrottlingProxy proxy, MotoCloud moto, int agents)
      throws InterruptedException {
    Map<String, Integer> before = proxy.counts();
    long busyBefore = proxy.busyNanos("RunInstances");
    long t0 = System.nanoTime();
    client.resource(Fixtures.helloWorld(ns, "batch", "app", agents, "bench")).create();
    while (client.resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(ns).list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getInstanceId() != null).count() < agents) {
      Thread.sleep(100);
    }
    double bound = (System.nanoTime() - t0) / 1e9;
    Map<String, Integer> calls = delta(before, proxy.counts());
    long distinct = client.resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(ns).list().getItems().stream()
        .map(a -> a.getStatus().getInstanceId()).distinct().count();
    double apiWindow = (proxy.lastAcceptedNanos("RunInstances") - proxy.firstSeenNanos("RunInstances")) / 1e9;
    System.out.printf("%nbatched launch: 1 service x %d agents, every Agent bound after %.1f s (%d distinct "
        + "instances)%n", agents, bound, distinct);
    System.out.printf("  RunInstances: %d call(s) (%d forwarded to moto, %d throttled); first to last let through "
        + "%.2f s; proxy busy %.2f s (one call per VM: >= %.1f s)%n", calls.getOrDefault("RunInstances", 0),
        proxy.runInstancesForwarded(), proxy.throttled(), apiWindow,
        (proxy.busyNanos("RunInstances") - busyBefore) / 1e9, Math.max(0, (agents - BURST) / PER_SECOND));
    System.out.println("  calls until bound: " + calls);
    before = proxy.counts();
    client.resources(HelloWorldService.class).inNamespace(ns).withName("batch").delete();
    while (client.resources(HelloWorldService.class).inNamespace(ns).withName("batch").get() != null) {
      Thread.sleep(500);
    }
    System.out.println("  calls while releasing: " + delta(before, proxy.counts()));
  }

  private static void awaitAll(KubernetesClient client, String ns, int services) throws InterruptedException {
    while (client.resources(HelloWorldService.class).inNamespace(ns).list().getItems().stream()
        .filter(s -> s.getStatus() != null && s.getStatus().getState() == ServiceState.RUNNING).count() < services) {
      Thread.sleep(250);
    }
  }

  private static Map<String, Integer> delta(Map<String, Integer> before, Map<String, Integer> after) {
    Map<String, Integer> d = new TreeMap<>();
    after.forEach((k, v) -> {
      int n = v - before.getOrDefault(k, 0);
      if (n > 0) {
        d.put(k, n);
      }
    });
    return d;
  }

  private static int motoPort;

  private static Process startMoto(Path work) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      motoPort = s.getLocalPort();
    }
    return new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(motoPort))
        .redirectErrorStream(true).redirectOutput(work.resolve("moto.log").toFile()).start();
  }

  private static void awaitHttp(URI uri) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 120; i++) {
      try {
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("moto did not start");
  }
}
