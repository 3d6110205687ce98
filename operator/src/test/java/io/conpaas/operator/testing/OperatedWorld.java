package io.conpaas.operator.testing;

import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.InstanceTypeSpec;
import io.conpaas.operator.ConpaasOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The set-up the service ITs share: a fresh namespace, a local Cloud on the test's work dir (with the
 * priced instance types the test gives), an Application on it and an in-process operator scoped to the
 * namespace (30 s health timeout, 3 attempts). {@link #stop} deletes the services of the given kinds, waits
 * until their Agents (VMs) are gone, stops the operator and deletes the Cloud.
 */
public record OperatedWorld(KubernetesClient client, String namespace, String cloud, String app, Path workDir,
    ConpaasOperator operator) {

  public static OperatedWorld start(String prefix, String app, Path workDir, InstanceTypeSpec... types) {
    try {
      // As root every local VM runs as its own account, which must reach the VM directories.
      Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, prefix);
    String cloud = "local-" + ns;
    Cloud c = Fixtures.localCloud(cloud, workDir);
    if (types.length > 0) {
      c.getSpec().setInstanceTypes(List.of(types));
    }
    client.resource(c).create();
    client.resource(Fixtures.application(ns, app, cloud)).create();
    ConpaasOperator operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir));
    return new OperatedWorld(client, ns, cloud, app, workDir, operator);
  }

  /** An instance type of the local Cloud: price per hour and slowdown factor (1: full speed). */
  public static InstanceTypeSpec type(String name, double pricePerHour, double slowdown) {
    InstanceTypeSpec t = new InstanceTypeSpec(name, pricePerHour);
    if (slowdown != 1.0) {
      t.setSlowdown(slowdown);
    }
    return t;
  }

  /** The Agents of a service. */
  public List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(namespace).withLabel(ApiConstants.LABEL_SERVICE, service).list()
        .getItems();
  }

  /**
   * Changes a namespaced object, again on a 409 (the operator's status patches move a service on every
   * second or so while it works).
   */
  public <T extends HasMetadata> void edit(Class<T> kind, String name, UnaryOperator<T> change) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409).until(() -> {
      client.resources(kind).inNamespace(namespace).withName(name).edit(change);
      return true;
    });
  }

  /** Deletes the services of the kinds, waits (settle at most) until no Agent is left, stops the operator, deletes the Cloud. */
  @SafeVarargs
  public final void stop(Duration settle, Class<? extends HasMetadata>... kinds) {
    try {
      for (Class<? extends HasMetadata> kind : kinds) {
        client.resources(kind).inNamespace(namespace).delete();
      }
      await().atMost(settle).until(() -> client.resources(Agent.class).inNamespace(namespace).list().getItems()
          .isEmpty());
    } finally {
      operator.close();
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }
}
