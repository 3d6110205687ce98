package io.conpaas.plugin;

import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The world of the plugin ITs that need real VMs: a namespace with a local Cloud, an Application on it
 * and the operator jar as a process scoped to that namespace; {@link #close} removes all of it, and
 * kills whatever a failed run left running under the test's directory.
 */
final class OperatedNamespace {
  final KubernetesClient client;
  final String ns;
  final String cloud;
  private final Path dir;
  private OperatorProcess operator;

  private OperatedNamespace(KubernetesClient client, String ns, Path dir) {
    this.client = client;
    this.ns = ns;
    this.cloud = "local-" + ns;
    this.dir = dir;
  }

  /** Starts it under dir (a test's temp directory) with the operator settings added to the common ones. */
  static OperatedNamespace start(Path dir, String prefix, String application, Map<String, String> settings)
      throws Exception {
    // As root each VM's daemons run as the VM's own account, which must pass through these dirs.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path vms = Files.createDirectories(dir.resolve("vms"));
    Files.setPosixFilePermissions(vms, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    OperatedNamespace world = new OperatedNamespace(client, TestNamespace.create(client, prefix), dir);
    client.resource(LocalCloudObjects.localCloud(world.cloud, vms)).create();
    client.resource(LocalCloudObjects.application(world.ns, application, world.cloud)).create();
    Map<String, String> all = new HashMap<>(Map.of("CONPAAS_NAMESPACE", world.ns, "CONPAAS_NAMESPACES", world.ns,
        "CONPAAS_CLUSTER_ID", "it-" + world.ns, "CONPAAS_AGENT_RUNNING_RESYNC", "2s",
        "CONPAAS_LOCAL_AGENT_JAR", DevCluster.repoRoot().resolve("agent-runtime/target/conpaas-agent.jar").toString()));
    all.putAll(settings);
    world.operator = OperatorProcess.start(dir, all);
    return world;
  }

  /** Deletes the services of serviceKind, waits until their Agents are gone, then stops and removes the rest. */
  void close(Class<? extends HasMetadata> serviceKind, Duration settle) {
    if (operator != null) {
      client.resources(serviceKind).inNamespace(ns).delete();
      await().atMost(settle).until(() -> client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
      client.resources(Cloud.class).withName(cloud).delete();
      operator.close();
    }
    // Agents (and their daemons) of a failed run would outlive the test like VMs: stop them.
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(cmd -> cmd.contains(dir.toString()))
        .orElse(false)).forEach(ProcessHandle::destroyForcibly);
    client.rbac().roleBindings().inNamespace(ns).delete();
    client.rbac().roles().inNamespace(ns).delete();
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }
}
