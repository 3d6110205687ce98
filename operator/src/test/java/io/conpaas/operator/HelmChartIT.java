package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.CodeUploads;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart: it lints, its rendering is accepted by the API server, and the operator
 * running with exactly the chart's RBAC (impersonating its ServiceAccount) brings helloworld to
 * RUNNING yet cannot read Secrets in another namespace.
 */
class HelmChartIT {
  @TempDir
  Path workDir;

  @Test
  void chartLints() {
    assertThat(helm("lint", chart().toString()).output()).contains("0 chart(s) failed");
  }

  @Test
  void renderedChartIsAcceptedByTheApiServer() throws IOException {
    String ns = TestNamespace.create(DevCluster.client(), "chart");
    String rendered = helm("template", "dry", chart().toString(), "-n", ns, "--set", "replicaCount=2",
        "--set", "leaderElection.enabled=true").output();
    Path file = workDir.resolve("rendered.yaml");
    Files.writeString(file, rendered);
    Kubectl.Result r = Kubectl.run("apply", "--dry-run=server", "-f", file.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("deployment.apps/dry-operator created (server dry run)")
        .contains("clusterrole.rbac.authorization.k8s.io/dry-operator created (server dry run)");
    assertThat(rendered).doesNotContain("'*'").doesNotContain("\"*\"").doesNotContain("- '*'");
  }

  @Test
  void theOperatorWithTheChartsRbacRunsHelloworldButCannotReadOtherSecrets() throws IOException {
    // Web agents run as root here and drop to www-data, which must reach the VM directories.
    Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient admin = DevCluster.client();
    String opNs = TestNamespace.create(admin, "conpaas-op");
    String appNs = TestNamespace.create(admin, "rbac");
    String release = "r" + opNs.substring(opNs.length() - 6);
    String otherNs = TestNamespace.create(admin, "other");
    // Watching appNs only: Secret access (MySQL passwords) is granted there and nowhere else.
    String rendered = helm("template", release, chart().toString(), "-n", opNs,
        "--set", "watchNamespaces={" + appNs + "}").output();
    // Only the RBAC and ServiceAccount are applied: this cluster has no kubelet to run the Deployment.
    List<HasMetadata> objects = admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
        .items().stream().filter(o -> !"Deployment".equals(o.getKind())).toList();
    objects.forEach(o -> admin.resource(o).serverSideApply());
    admin.resource(new SecretBuilder().withNewMetadata().withName("private").withNamespace(otherNs).endMetadata()
        .withStringData(Map.of("k", "v")).build()).create();

    String sa = "system:serviceaccount:" + opNs + ":" + release + "-operator";
    Config config = new ConfigBuilder(admin.getConfiguration()).withImpersonateUsername(sa)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + opNs, "system:authenticated")
        .build();
    String cloud = "rbac-" + appNs;
    admin.resource(Fixtures.localCloud(cloud, workDir)).create();
    admin.resource(Fixtures.application(appNs, "app", cloud)).create();
    OperatorSettings defaults = TestOperator.settings(appNs, workDir, Duration.ofSeconds(30), 3);
    OperatorSettings settings = new OperatorSettings(defaults.clusterId(), opNs, defaults.agentHealthTimeout(),
        defaults.agentMaxAttempts(), defaults.runningResync(), defaults.inventoryMaxAge(), workDir,
        defaults.namespaces(), defaults.orphanGracePeriod(), defaults.cloudResync(),
        defaults.agentMaxUnhealthyShare(), defaults.agentUnhealthyWindow());
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build();
         ConpaasOperator op = new ConpaasOperator(asOperator, settings, TestOperator.localDrivers(workDir),
             Clock.systemUTC())) {
      op.start();
      admin.resource(Fixtures.helloWorld(appNs, "least", "app", 1, "privileged enough")).create();
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(
          admin.resources(HelloWorldService.class).inNamespace(appNs).withName("least").get().getStatus().getState())
          .isEqualTo(ServiceState.RUNNING));

      Assertions.assertThatThrownBy(() -> asOperator.secrets().inNamespace(otherNs).withName("private").get())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      assertThat(Kubectl.run("auth", "can-i", "get", "secrets", "-n", otherNs, "--as", sa).output().trim())
          .isEqualTo("no");
      assertThat(Kubectl.run("auth", "can-i", "get", "secrets", "-n", opNs, "--as", sa).output().trim())
          .isEqualTo("yes");

      // The web kinds too: PhpService status, Agents with code, the CodeUpload watch and policy check.
      PhpService php = Fixtures.php(appNs, "least-php", "app", 1);
      php.getSpec().setWeb(new RoleSpec(0));
      admin.resource(php).create();
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(
          admin.resources(PhpService.class).inNamespace(appNs).withName("least-php").get().getStatus().getState())
          .isEqualTo(ServiceState.RUNNING));
      CodeUploads.Result upload = new CodeUploads(admin, appNs).upload(CodeUploadSpec.ServiceKind.PhpService,
          "least-php", "v1", Archives.zip(workDir.resolve("v1.zip"), Archives.files("index.php", "<?php echo 1;")));
      assertThat(upload.status()).as(upload.body()).isEqualTo(201);
      admin.resources(PhpService.class).inNamespace(appNs).withName("least-php").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          admin.resources(PhpService.class).inNamespace(appNs).withName("least-php").get() == null);

      admin.resources(HelloWorldService.class).inNamespace(appNs).withName("least").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          admin.resources(HelloWorldService.class).inNamespace(appNs).withName("least").get() == null);
    } finally {
      admin.resources(Cloud.class).withName(cloud).delete();
    }
  }

  private static Path chart() {
    return DevCluster.repoRoot().resolve("helm/conpaas");
  }

  private static Kubectl.Result helm(String... args) {
    Path cached = Path.of(System.getProperty("user.home"), ".cache/conpaas/bin/helm");
    String helm = Files.isExecutable(cached) ? cached.toString() : "helm";
    List<String> cmd = new java.util.ArrayList<>(List.of(helm));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      return new Kubectl.Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run helm (hack/install-deps.sh builds it): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
