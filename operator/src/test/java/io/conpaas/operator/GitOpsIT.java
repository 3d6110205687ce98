package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What GitOps tools rely on: the operator never writes a user's spec, so applying the same
 * manifest again changes nothing and `kubectl diff` stays empty; a GitOps manager and a person
 * scaling by hand share the object through server-side apply field ownership. Also: every
 * example is accepted by the API server.
 */
class GitOpsIT {
  private static final String MANIFEST = """
      apiVersion: conpaas.io/v1alpha1
      kind: Application
      metadata: {name: demo, namespace: %1$s}
      spec: {cloud: %2$s}
      ---
      apiVersion: conpaas.io/v1alpha1
      kind: HelloWorldService
      metadata: {name: hello, namespace: %1$s}
      spec:
        application: demo
        message: from git
      %3$s
      """;

  @TempDir
  Path workDir;

  @Test
  void reapplyingChangesNothingAndDiffIsEmptyAfterConvergence() throws IOException {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "gitops");
    String cloud = "gitops-" + ns;
    client.resource(Fixtures.localCloud(cloud, workDir)).create();
    Path manifest = write(MANIFEST.formatted(ns, cloud, "  agents: {nodes: 2}"));
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir))) {
      Kubectl.ok("apply", "-f", manifest.toString());
      awaitRunning(client, ns, 2);
      long generation = service(client, ns).getMetadata().getGeneration();

      assertThat(Kubectl.ok("apply", "-f", manifest.toString())).contains("unchanged");
      assertThat(service(client, ns).getMetadata().getGeneration()).isEqualTo(generation);
      Kubectl.Result diff = Kubectl.run("diff", "-f", manifest.toString());
      assertThat(diff.exitCode()).as(diff.output()).isZero();
      assertThat(diff.output()).isEmpty();
      // The operator's own writes are status and its finalizer, never the spec.
      assertThat(service(client, ns).getMetadata().getManagedFields())
          .filteredOn(f -> !"Update".equals(f.getOperation()) || f.getSubresource() == null)
          .allSatisfy(f -> assertThat(f.getManager()).isIn("kubectl-client-side-apply", "kubectl",
              "helloworldservice"));
      Kubectl.ok("delete", "-f", manifest.toString(), "--wait=true", "--timeout=60s");
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0);
    } finally {
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }

  @Test
  void aGitOpsManagerAndKubectlScaleShareTheObject() throws IOException {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "ssa");
    String cloud = "ssa-" + ns;
    client.resource(Fixtures.localCloud(cloud, workDir)).create();
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir))) {
      // Git does not own the node count: people (or an HPA) scale it.
      Path unowned = write(MANIFEST.formatted(ns, cloud, ""));
      Kubectl.ok("apply", "--server-side", "--field-manager=gitops", "-f", unowned.toString());
      Kubectl.ok("-n", ns, "scale", "helloworldservice/hello", "--replicas=2");
      awaitRunning(client, ns, 2);
      Kubectl.ok("apply", "--server-side", "--field-manager=gitops", "-f", unowned.toString());
      assertThat(service(client, ns).getSpec().getAgents().getNodes()).isEqualTo(2);

      // A change by patch is owned by its manager: when Git then claims the count, the person's
      // value is not silently overwritten. (The scale subresource of a custom resource records
      // no field owner in Kubernetes, so only a patch can show this.)
      Kubectl.ok("-n", ns, "patch", "helloworldservice/hello", "--type=merge", "-p",
          "{\"spec\":{\"agents\":{\"nodes\":3}}}");
      Path owning = write(MANIFEST.formatted(ns, cloud, "  agents: {nodes: 1}"));
      Kubectl.Result conflict = Kubectl.run("apply", "--server-side", "--field-manager=gitops", "-f",
          owning.toString());
      assertThat(conflict.exitCode()).isNotZero();
      assertThat(conflict.output()).contains("conflict").contains(".spec.agents.nodes");
      assertThat(service(client, ns).getSpec().getAgents().getNodes()).isEqualTo(3);

      Kubectl.ok("-n", ns, "delete", "helloworldservice/hello", "--wait=true", "--timeout=60s");
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0);
    } finally {
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }

  @Test
  void everyExampleIsAcceptedByTheApiServer() throws IOException {
    DevCluster.client();
    // Argo CD's own manifests need Argo CD's CRDs, which this cluster does not have.
    try (Stream<Path> files = Files.walk(DevCluster.repoRoot().resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("/argocd/"))
          .sorted().toList()) {
        Kubectl.Result r = Kubectl.run("apply", "--dry-run=server", "-f", f.toString());
        assertThat(r.exitCode()).as(f + ": " + r.output()).isZero();
      }
    }
  }

  private Path write(String manifest) throws IOException {
    Path f = Files.createTempFile(workDir, "m", ".yaml");
    Files.writeString(f, manifest);
    return f;
  }

  private static HelloWorldService service(KubernetesClient client, String ns) {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get();
  }

  private static void awaitRunning(KubernetesClient client, String ns, int replicas) {
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
      HelloWorldService s = service(client, ns);
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReplicas()).isEqualTo(replicas);
    });
  }
}
