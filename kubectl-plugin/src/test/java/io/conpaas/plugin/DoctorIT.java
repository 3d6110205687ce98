package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.Ec2CloudSpec;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor against the real API server and the real operator jar: it passes on a healthy installation and names
 * each failure (with a fix) and exits 1 when a Cloud has bad credentials, the operator is stopped, or a CRD is
 * missing or differs from the plugin's.
 */
class DoctorIT {
  @TempDir
  Path workDir;

  @Test
  void passesWhenHealthyAndNamesEachFailure() throws Exception {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "doctor");
    String opNs = ns + "-system";
    String lease = "doctor-" + ns;
    String good = "doctor-local-" + ns;
    String bad = "doctor-ec2-" + ns;
    String orphan = "doctor-nosecret-" + ns;
    Files.createDirectories(workDir.resolve("local"));
    List<String> doctor = List.of("doctor", "--operator-namespace", opNs, "--lease", lease, "--cloud", good);
    try (OperatorProcess op = OperatorProcess.start(workDir, Map.of("CONPAAS_NAMESPACE", opNs,
        "CONPAAS_NAMESPACES", ns, "CONPAAS_LEADER_ELECTION", "true", "CONPAAS_LEADER_ELECTION_LEASE_NAME", lease,
        "CONPAAS_LEADER_ELECTION_LEASE_DURATION", "4s", "CONPAAS_LEADER_ELECTION_RENEW_DEADLINE", "3s",
        "CONPAAS_LEADER_ELECTION_RETRY_PERIOD", "1s"))) {
      client.resource(localCloud(good)).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Plugin.Result r = Plugin.run(doctor.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
      });
      Plugin.Result healthy = Plugin.run(doctor.toArray(String[]::new));
      System.out.println("doctor on a healthy dev cluster:\n" + healthy.out());
      assertThat(rows(healthy)).extracting(row -> row.get(0) + " " + row.get(1)).containsExactly(
          "CRDs OK", "operator OK", "Cloud " + good + " OK", "upload policy OK", "clock skew OK");
      assertThat(row(healthy, "operator")).contains("leader ");

      // A Cloud whose credentials Secret lacks the keys, and one whose Secret does not exist.
      client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(bad).withNamespace(opNs)
          .build()).withStringData(Map.of("accessKeyId", "AKIA-only")).build()).create();
      client.resource(ec2Cloud(bad, opNs, bad)).create();
      client.resource(ec2Cloud(orphan, opNs, "missing-" + ns)).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.resources(Cloud.class)
          .withName(bad).get().getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType())
              && "CredentialsIncomplete".equals(c.getReason())));
      Plugin.Result badCredentials = Plugin.run("doctor", "--operator-namespace", opNs, "--lease", lease,
          "--cloud", good, "--cloud", bad, "--cloud", orphan);
      System.out.println("doctor with bad Cloud credentials:\n" + badCredentials.out());
      assertThat(badCredentials.exitCode()).as(badCredentials.toString()).isEqualTo(1);
      assertThat(row(badCredentials, "Cloud " + bad)).contains("FAIL", "CredentialsIncomplete", "secretAccessKey");
      assertThat(row(badCredentials, "credentials of Cloud " + orphan)).contains("FAIL",
          "Secret " + opNs + "/missing-" + ns + " not found", "kubectl -n " + opNs + " create secret generic");
      assertThat(row(badCredentials, "credentials of Cloud " + bad)).contains("OK");
      assertThat(row(badCredentials, "Cloud " + good)).contains("OK");
      assertThat(badCredentials.err()).contains("error: 3 checks failed");
      client.resources(Cloud.class).withName(bad).delete();
      client.resources(Cloud.class).withName(orphan).delete();
    }

    // The operator stopped: its Lease is released or expires.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Plugin.Result r = Plugin.run(doctor.toArray(String[]::new));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(row(r, "operator")).contains("FAIL", lease);
    });
    Plugin.Result stopped = Plugin.run(doctor.toArray(String[]::new));
    System.out.println("doctor with the operator stopped:\n" + stopped.out());
    assertThat(row(stopped, "operator")).containsAnyOf("has no holder", "expired").contains("get pods");

    // A CRD missing and one of another release (a field's schema changed).
    String missing = "scalarisservices.conpaas.io";
    String changed = "helloworldservices.conpaas.io";
    try {
      client.apiextensions().v1().customResourceDefinitions().withName(changed).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/"
              + "message/description\",\"value\":\"an older release's words\"}]");
      client.apiextensions().v1().customResourceDefinitions().withName(missing).withTimeout(60, TimeUnit.SECONDS)
          .delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.apiextensions().v1().customResourceDefinitions().withName(missing).get() == null);
      Plugin.Result crds = Plugin.run(doctor.toArray(String[]::new));
      System.out.println("doctor with a CRD missing and one changed:\n" + crds.out());
      assertThat(crds.exitCode()).isEqualTo(1);
      assertThat(row(crds, "CRD " + missing)).contains("FAIL", "not installed", "kubectl apply --server-side");
      assertThat(row(crds, "CRD " + changed)).contains("FAIL", "differs from the plugin's");
      assertThat(rows(crds)).noneMatch(r -> r.get(0).equals("CRDs"));
    } finally {
      restoreCrds(client, missing, changed);
      client.resources(Cloud.class).withName(good).delete();
    }
  }

  private static Cloud localCloud(String name) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    spec.setLocal(new LocalCloudSpec());
    c.setSpec(spec);
    return c;
  }

  /** An EC2 Cloud on a closed loopback port: only its credentials are ever read. */
  private static Cloud ec2Cloud(String name, String secretNamespace, String secret) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.EC2);
    Ec2CloudSpec ec2 = new Ec2CloudSpec();
    ec2.setRegion("eu-west-1");
    ec2.setEndpoint("http://127.0.0.1:9");
    ec2.setImageId("ami-12345678");
    ec2.setInstanceType("t3.small");
    spec.setEc2(ec2);
    SecretRef ref = new SecretRef();
    ref.setName(secret);
    ref.setNamespace(secretNamespace);
    spec.setCredentialsSecretRef(ref);
    c.setSpec(spec);
    return c;
  }

  /** Puts back the chart's CRDs (the dev cluster's), as DevCluster installed them. */
  private static void restoreCrds(KubernetesClient client, String... names) throws Exception {
    for (String name : names) {
      try (InputStream in = Files.newInputStream(DevCluster.repoRoot().resolve("helm/conpaas/crds/" + name
          + "-v1.yml"))) {
        for (HasMetadata crd : client.load(in).items()) {
          client.resource((CustomResourceDefinition) crd).forceConflicts().serverSideApply();
          DevCluster.awaitEstablished(client, name);
        }
      }
    }
  }

  /** The table's rows, split on the column gaps (the header line left out). */
  private static List<List<String>> rows(Plugin.Result r) {
    return r.out().lines().skip(1).map(l -> List.of(l.split(" {3,}"))).toList();
  }

  private static String row(Plugin.Result r, String check) {
    Optional<List<String>> row = rows(r).stream().filter(x -> x.get(0).equals(check)).findFirst();
    assertThat(row).as("a row for " + check + " in\n" + r.out()).isPresent();
    return String.join(" | ", row.get());
  }
}
