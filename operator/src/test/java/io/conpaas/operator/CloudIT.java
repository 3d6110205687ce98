package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.testing.TestNamespace;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud status and the guards around VMs: Ready from the credentials check, maxInstances shown
 * in the service's status, and VMs tagged as ours that belong to no Agent swept away.
 */
class CloudIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path workDir;

  @Test
  void aMissingCredentialsSecretMakesTheCloudNotReadyAndTheServiceWaitUntilItExists() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "creds");
    String cloudName = "creds-" + ns;
    Cloud cloud = Fixtures.localCloud(cloudName, workDir);
    cloud.getSpec().setCredentialsSecretRef(new SecretRef("creds-" + ns, ns));
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(ready(client, cloudName)).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("CredentialsNotFound");
        assertThat(c.getMessage()).contains("creds-" + ns);
      }));
      client.resource(Fixtures.helloWorld(ns, "patient", "app", 1, "hi")).create();
      await().atMost(WAIT).untilAsserted(() -> {
        HelloWorldService s = service(client, ns, "patient");
        assertThat(s.getStatus()).isNotNull();
        assertThat(s.getStatus().getState()).isIn(ServiceState.PROLOGUE, ServiceState.INIT);
        assertThat(s.getStatus().getMessage()).contains("waiting: Cloud " + cloudName + ": CredentialsNotFound");
      });

      client.resource(new SecretBuilder().withNewMetadata().withName("creds-" + ns).withNamespace(ns).endMetadata()
          .withData(Map.of("token", java.util.Base64.getEncoder().encodeToString(
              "s3cr3t-value".getBytes(StandardCharsets.UTF_8)))).build()).create();
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(ready(client, cloudName)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(service(client, ns, "patient").getStatus().getState()).isEqualTo(ServiceState.RUNNING));
      assertThat(client.resources(Cloud.class).withName(cloudName).get().getStatus().getInstances()).isEqualTo(1);
      // The secret's value appears nowhere the user can read.
      assertThat(client.resources(Cloud.class).withName(cloudName).get().toString()).doesNotContain("s3cr3t");
      assertThat(client.v1().events().inAnyNamespace().list().getItems())
          .noneMatch(e -> e.getMessage() != null && e.getMessage().contains("s3cr3t"));
      cleanUp(client, ns, "patient");
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  @Test
  void maxInstancesHoldsNewVmsAndTheServiceSaysWhichCloudIsFull() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "full");
    String cloudName = "full-" + ns;
    Cloud cloud = Fixtures.localCloud(cloudName, workDir);
    cloud.getSpec().setMaxInstances(2);
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "greedy", "app", 3, "more")).create();
      await().atMost(WAIT).untilAsserted(() -> {
        HelloWorldService s = service(client, ns, "greedy");
        assertThat(s.getStatus()).isNotNull();
        assertThat(s.getStatus().getReady()).isEqualTo("2/3");
        assertThat(s.getStatus().getMessage()).contains("Cloud " + cloudName + " is full: 2 of 2 instances");
      });
      assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(2);

      client.resources(Cloud.class).withName(cloudName).edit(c -> {
        c.getSpec().setMaxInstances(3);
        return c;
      });
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(service(client, ns, "greedy").getStatus().getState()).isEqualTo(ServiceState.RUNNING));
      assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(3);
      cleanUp(client, ns, "greedy");
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  @Test
  void aTaggedVmThatBelongsToNoAgentIsTerminatedAfterTheGracePeriod() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "orphan");
    String cloudName = "orphan-" + ns;
    client.resource(Fixtures.localCloud(cloudName, workDir)).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3, Duration.ofSeconds(2));
    IaasDriver driver = TestOperator.localDriver(workDir);
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "owned", "app", 1, "mine")).create();
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
          assertThat(service(client, ns, "owned").getStatus().getState()).isEqualTo(ServiceState.RUNNING));
      // A VM with our cluster tag whose Agent no longer exists (e.g. deleted while the operator was down).
      String orphan = driver.create(new VmRequest("lost-token", "lost-agents-0", Map.of(
          VmTags.CLUSTER, settings.clusterId(), VmTags.NAMESPACE, ns, VmTags.AGENT_UID, "no-such-agent"), null,
          new byte[0]))
          .instanceId();

      await().atMost(WAIT).until(() -> driver.list(settings.clusterId()).stream()
          .noneMatch(vm -> vm.instanceId().equals(orphan)));
      // The service's own VM is untouched, and the sweep says what it did.
      assertThat(driver.list(settings.clusterId())).hasSize(1);
      assertThat(service(client, ns, "owned").getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      // The counter moves after the terminate call returns, so a moment after the VM left the list.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
          op.metrics().find("conpaas.vm.orphans.terminated").tag("cloud", cloudName).counter().count())
          .isEqualTo(1.0));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("OrphanVmsTerminated");
            assertThat(e.getMessage()).contains(orphan);
          }));
      cleanUp(client, ns, "owned");
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  private static Optional<Condition> ready(KubernetesClient client, String cloud) {
    Cloud c = client.resources(Cloud.class).withName(cloud).get();
    return c.getStatus() == null ? Optional.empty()
        : c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst();
  }

  private static HelloWorldService service(KubernetesClient client, String ns, String name) {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
  }

  private void cleanUp(KubernetesClient client, String ns, String name) {
    client.resources(HelloWorldService.class).inNamespace(ns).withName(name).delete();
    await().atMost(WAIT).until(() -> service(client, ns, name) == null && LocalVms.liveProcesses(workDir) == 0);
  }
}
