package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HtcJobStatus;
import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.api.v1alpha1.HtcServiceSpec;
import io.conpaas.api.v1alpha1.HtcThroughputFunction;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.HtcWorkerPool;
import io.conpaas.api.v1alpha1.InstanceTypeSpec;
import io.conpaas.api.v1alpha1.WorkerCount;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl conpaas htc ...} end to end against the real operator jar (a process beside the dev
 * cluster): a demo-mode HtcService (same steps as real mode, synthetic runtimes, no VMs: the test stays
 * short; HtcServiceIT runs real tasks on real workers) is created, gets a job, is sampled; the plugin's
 * throughput/configuration answers match status.throughputFunction; select sets the pools, a bag added from
 * stdin joins the job, submit runs every task.
 */
class HtcCommandIT {
  static KubernetesClient client;
  static String ns;
  static String cloud;
  static OperatorProcess operator;

  @TempDir
  static Path dir;

  @BeforeAll
  static void operatorAndCloud() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-htc");
    cloud = "local-" + ns;
    InstanceTypeSpec slow = new InstanceTypeSpec("slow", 1.0);
    slow.setSlowdown(2.0);
    client.resource(LocalCloudObjects.localCloud(cloud, dir.resolve("vms"), slow, new InstanceTypeSpec("fast", 3.0)))
        .create();
    client.resource(LocalCloudObjects.application(ns, "demo", cloud)).create();
    operator = OperatorProcess.start(dir, Map.of("CONPAAS_NAMESPACE", ns, "CONPAAS_NAMESPACES", ns,
        "CONPAAS_CLUSTER_ID", "it-" + ns));
  }

  @AfterAll
  static void cleanUp() {
    if (operator != null) {
      client.resources(HtcService.class).inNamespace(ns).delete();
      operator.close();
    }
    client.resources(Cloud.class).withName(cloud).delete();
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  static HtcService service() {
    return client.resources(HtcService.class).inNamespace(ns).withName("flow").get();
  }

  static HtcJobStatus job() {
    var st = service().getStatus();
    return st == null ? new HtcJobStatus() : st.getJobs().stream().filter(j -> "j".equals(j.getName())).findFirst()
        .orElseGet(HtcJobStatus::new);
  }

  static Plugin.Result ok(Plugin.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void theManualsCommandsTakeAJobFromCreationThroughSamplingAndSelectionToDone() throws Exception {
    ok(Plugin.run("-n", ns, "create", "htc", "flow", "--application", "demo", "--mode", "demo"));
    assertThat(ok(Plugin.run("-n", ns, "list")).out()).contains("flow");
    assertThat(ok(Plugin.run("-n", ns, "usage", "flow")).out()).contains("ConPaaS type htc, kind HtcService")
        .contains("htc create-job flow JOB FILE|-").contains("htc select flow T");
    Path first = Files.writeString(dir.resolve("bag-1.txt"), "# first bag\n"
        + IntStream.rangeClosed(1, 20).mapToObj(i -> "echo " + i).collect(Collectors.joining("\n")) + "\n");
    assertThat(ok(Plugin.run("-n", ns, "htc", "create-job", "flow", "j", first.toString())).out())
        .contains("job j created in flow with bag flow-j-1");
    Plugin.Result again = Plugin.run("-n", ns, "htc", "create-job", "flow", "j", first.toString());
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("job j exists in flow");
    Plugin.Result early = Plugin.run("-n", ns, "htc", "configuration", "flow", "100");
    assertThat(early.exitCode()).isNotZero();
    assertThat(early.err()).contains("no throughput function yet");

    ok(Plugin.run("-n", ns, "htc", "sample", "flow", "j"));
    HtcThroughputFunction f = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> service().getStatus() == null ? null : service().getStatus().getThroughputFunction(),
            x -> x != null && x.getPoints().size() >= 2);
    List<String> table = ok(Plugin.run("-n", ns, "htc", "throughput", "flow")).out().lines().toList();
    System.out.println("htc plugin: throughput table\n" + String.join("\n", table));
    assertThat(table).hasSize(f.getSamples().size() + 1 + f.getPoints().size() + 1);
    assertThat(table.get(table.size() - 1)).isEqualTo(String.format(Locale.ROOT, "TMAX %.1f tasks/hour (job j)",
        f.getTmax()));
    // A target between the two cheapest points: the dearer one is the configuration (it reaches the target).
    HtcThroughputPoint expected = f.getPoints().get(1);
    double target = (f.getPoints().get(0).getThroughput() + expected.getThroughput()) / 2;
    String t = String.format(Locale.ROOT, "%.1f", target);
    String workers = expected.getWorkers().stream().map(w -> w.getCount() + " x " + w.getInstanceType())
        .collect(Collectors.joining(" + "));
    assertThat(ok(Plugin.run("-n", ns, "htc", "configuration", "flow", t)).out()).startsWith(t + " tasks/hour: "
        + workers + " (");
    assertThat(ok(Plugin.run("-n", ns, "htc", "throughput", "flow", t)).out())
        .startsWith(String.format(Locale.ROOT, "%s tasks/hour cost %.3f per hour", t, expected.getCost()));
    Plugin.Result above = Plugin.run("-n", ns, "htc", "select", "flow", String.valueOf(f.getTmax() * 2));
    assertThat(above.exitCode()).isNotZero();
    assertThat(above.err()).contains("within [0, TMAX]");
    assertThat(ok(Plugin.run("-n", ns, "htc", "select", "flow", t)).out()).contains("target " + t
        + " tasks/hour selected for flow: " + workers);
    HtcServiceSpec spec = service().getSpec();
    assertThat(spec.getTargetThroughput()).isEqualTo(Double.parseDouble(t));
    assertThat(spec.getWorkerPools()).extracting(HtcWorkerPool::getInstanceType, HtcWorkerPool::getNodes)
        .containsExactlyElementsOf(expected.getWorkers().stream()
            .map(w -> org.assertj.core.groups.Tuple.tuple(w.getInstanceType(), w.getCount())).toList());

    // A second bag from stdin joins the job; submit runs both bags with the selected pools.
    String second = IntStream.rangeClosed(21, 30).mapToObj(i -> "echo " + i).collect(Collectors.joining("\n"));
    assertThat(ok(Plugin.runWithInput(second, () -> null, "-n", ns, "htc", "add", "flow", "j", "-")).out())
        .contains("bag flow-j-2 added to job j of flow");
    ok(Plugin.run("-n", ns, "htc", "submit", "flow", "j"));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> "Done".equals(job().getState()));
    System.out.printf("htc plugin: job j %s, %d/%d done, configuration %s%n", job().getState(),
        job().getProgress().getDone(), job().getProgress().getTotal(), service().getStatus().getConfiguration()
            .stream().map(w -> w.getCount() + "x" + w.getInstanceType()).toList());
    assertThat(job().getBags()).isEqualTo(2);
    assertThat(job().getProgress().getDone()).isEqualTo(30);
    assertThat(job().getProgress().getFailed()).isZero();
    assertThat(service().getStatus().getConfiguration()).extracting(WorkerCount::getInstanceType, WorkerCount::getCount)
        .containsExactlyInAnyOrderElementsOf(expected.getWorkers().stream()
            .map(w -> org.assertj.core.groups.Tuple.tuple(w.getInstanceType(), w.getCount())).toList());
  }
}
