package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mapreduce submit} end to end: the real operator jar with a local Cloud runs a MapReduce
 * service (real agents, Hadoop's daemons); the plugin puts a few MiB of words into HDFS and Hadoop's
 * wordcount example jar through Kubernetes-authorized uploads (CodeUpload, one-time URL, operator to
 * master agent over mutual TLS), waits for the job in status.jobs, and the counts read back with
 * {@code hdfs get} equal the ones the test computed. A user who may not update the service cannot submit.
 */
class MapReduceSubmitIT {
  static OperatedNamespace world;
  static KubernetesClient client;
  static String ns;

  @TempDir
  static Path dir;

  @BeforeAll
  static void operatorAndService() throws Exception {
    world = OperatedNamespace.start(dir, "plugin-mr", "demo", Map.of());
    client = world.client;
    ns = world.ns;
  }

  @AfterAll
  static void cleanUp() {
    if (world != null) {
      world.close(MapReduceService.class, Duration.ofMinutes(3));
    }
  }

  @Test
  void wordcountSubmittedThroughThePluginGivesTheCountsTheTestComputed() throws Exception {
    Plugin.Result created = Plugin.run("-n", ns, "create", "mapreduce", "mr", "--application", "demo", "--nodes", "1");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    long t0 = System.nanoTime();
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      MapReduceService s = client.resources(MapReduceService.class).inNamespace(ns).withName("mr").get();
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).hasToString("RUNNING");
    });
    System.out.printf("mapreduce submit: master + 1 worker RUNNING in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    // A few MiB of words whose counts the test knows.
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
    Path words = Files.writeString(dir.resolve("words.txt"), text);
    Path examples;
    try (var jars = Files.list(DevCluster.repoRoot().resolve("agent-runtime/target/hadoop"))) {
      examples = jars.filter(p -> p.getFileName().toString().startsWith("hadoop-mapreduce-examples-")).findFirst()
          .orElseThrow();
    }

    // Someone who may read the service and create CodeUploads, but not update it, is refused by admission.
    readOnlyUploader("reader");
    Plugin.Result refused = Plugin.run("-n", ns, "--as", "system:serviceaccount:" + ns + ":reader", "mapreduce",
        "submit", "mr", examples.toString(), "wordcount", "/in", "/out");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("needs permission to update it");

    long j0 = System.nanoTime();
    Plugin.Result submitted = Plugin.run("-n", ns, "mapreduce", "submit", "mr", "--input",
        words + "=/in/words.txt", "--wait", "--job-timeout", "8m", examples.toString(), "wordcount", "/in", "/out");
    System.out.printf("mapreduce submit: put %d bytes and ran wordcount in %d ms%n", Files.size(words),
        (System.nanoTime() - j0) / 1_000_000);
    assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
    assertThat(submitted.out()).contains("put " + words + " to /in/words.txt in mapreduceservice/mr")
        .containsPattern("job job-[0-9]+-[0-9a-f]{8} submitted to mapreduceservice/mr")
        .containsPattern("job job-[0-9]+-[0-9a-f]{8} SUCCEEDED \\(application_[0-9]+_[0-9]+\\)");
    assertThat(client.resources(CodeUpload.class).inNamespace(ns).list().getItems()).isEmpty();

    Plugin.Result out = Plugin.run("-n", ns, "hdfs", "get", "mr", "/out/part-r-00000", dir.resolve("counts.txt")
        .toString());
    assertThat(out.exitCode()).as(out.toString()).isZero();
    Map<String, Integer> counted = new TreeMap<>();
    for (String line : Files.readString(dir.resolve("counts.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        String[] kv = line.split("\t");
        counted.put(kv[0], Integer.parseInt(kv[1]));
      }
    }
    assertThat(counted).isEqualTo(expected);

    Plugin.Result usage = Plugin.run("-n", ns, "usage", "mr");
    assertThat(usage.out()).containsPattern("job job-[0-9]+-[0-9a-f]{8}: SUCCEEDED \\(application_")
        .contains("mapreduce submit mr JAR [ARGS...]");
    Plugin.Result jobs = Plugin.run("-n", ns, "mapreduce", "jobs", "mr");
    assertThat(jobs.out()).contains("SUCCEEDED");
  }

  /** A ServiceAccount that may read MapReduce services and create CodeUploads, not update services. */
  private static void readOnlyUploader(String name) {
    client.serviceAccounts().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
        .withNewMetadata().withName(name).endMetadata().build()).create();
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("mapreduceservices")
                .withVerbs("get", "list").build(),
            new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("codeuploads")
                .withVerbs("create", "get", "delete").build()).build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject().build()).create();
  }
}
