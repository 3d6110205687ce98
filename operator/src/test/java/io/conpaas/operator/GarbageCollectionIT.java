package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dev cluster's kube-controller-manager does, as on a real cluster: a deleted namespace
 * goes away with its services, their Agents and VMs (namespace controller, then our finalizers), and
 * the Agents of a service deleted while no operator runs are collected through their owner
 * references (garbage collector), then released through our finalizers once an operator runs.
 */
class GarbageCollectionIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path workDir;

  @Test
  void aDeletedNamespaceIsGoneWithItsServiceAgentsAndVms() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "gc-ns", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      world.helloWorld("hw", 1, "namespace");
      world.awaitState("hw", ServiceState.RUNNING);
      List<Long> pids = vmPids(client, ns);
      assertThat(pids).hasSize(1).allMatch(LocalVms::alive);

      client.namespaces().withName(ns).delete();

      await().atMost(WAIT).untilAsserted(() -> assertThat(client.namespaces().withName(ns).get())
          .as("namespace %s (without a namespace controller it stays Terminating)", ns).isNull());
      assertThat(pids).noneMatch(LocalVms::alive);
      deleteCloud(client, world);
    }
  }

  @Test
  void theAgentsOfAServiceDeletedWithoutAnOperatorAreCollectedThroughOwnerReferences() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "gc-owner", workDir);
    String ns = world.namespace();
    OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
    List<Long> pids;
    try (ConpaasOperator first = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      world.helloWorld("hw", 2, "owners");
      world.awaitState("hw", ServiceState.RUNNING);
      pids = vmPids(client, ns);
      assertThat(pids).hasSize(2).allMatch(LocalVms::alive);
    }

    // No operator runs: only the garbage collector can delete the Agents (foreground deletion
    // deletes an owner's dependents before the owner).
    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(agents(client, ns).stream()
        .map(a -> a.getMetadata().getDeletionTimestamp())).as("deletion times set by the garbage collector")
        .hasSize(2).doesNotContainNull());
    assertThat(pids).as("our finalizer keeps the Agents and their VMs until an operator releases them")
        .allMatch(LocalVms::alive);
    assertThat(client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").get()).isNotNull();

    try (ConpaasOperator second = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(agents(client, ns)).isEmpty();
        assertThat(client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").get()).isNull();
      });
      assertThat(pids).noneMatch(LocalVms::alive);
      deleteCloud(client, world);
      client.namespaces().withName(ns).delete();
    }
  }

  private static List<Agent> agents(KubernetesClient client, String ns) {
    return client.resources(Agent.class).inNamespace(ns).list().getItems();
  }

  /** The pids of the service's VMs (local agent processes). */
  private List<Long> vmPids(KubernetesClient client, String ns) {
    assertThat(Files.isDirectory(workDir)).isTrue();
    return agents(client, ns).stream()
        .map(a -> LocalVms.pid(workDir, a.getStatus().getInstanceId()).orElseThrow()).toList();
  }

  /** Deletes the Cloud while the operator runs (its finalizer needs it) and waits until it is gone. */
  private static void deleteCloud(KubernetesClient client, LocalWorld world) {
    world.close();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(client.resources(Cloud.class).withName(world.cloud()).get()).isNull());
  }
}
