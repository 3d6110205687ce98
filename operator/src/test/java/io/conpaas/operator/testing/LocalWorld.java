package io.conpaas.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What most ITs start from: a fresh namespace, a local Cloud on the test's work dir and an
 * Application "app" on it. Closing it deletes the (cluster-scoped) Cloud.
 */
public record LocalWorld(KubernetesClient client, String namespace, String cloud) implements AutoCloseable {
  public static final String APP = "app";

  public static LocalWorld create(KubernetesClient client, String prefix, Path workDir) {
    String ns = TestNamespace.create(client, prefix);
    String cloud = prefix + "-" + ns;
    client.resource(Fixtures.localCloud(cloud, workDir)).create();
    client.resource(Fixtures.application(ns, APP, cloud)).create();
    return new LocalWorld(client, ns, cloud);
  }

  /** Creates a HelloWorldService of the Application. */
  public void helloWorld(String name, int nodes, String message) {
    client.resource(Fixtures.helloWorld(namespace, name, APP, nodes, message)).create();
  }

  public HelloWorldService service(String name) {
    return client.resources(HelloWorldService.class).inNamespace(namespace).withName(name).get();
  }

  /** Sets the HelloWorldService's node count, as kubectl scale would. */
  public void scale(String name, int nodes) {
    client.resources(HelloWorldService.class).inNamespace(namespace).withName(name)
        .edit(s -> { s.getSpec().getAgents().setNodes(nodes); return s; });
  }

  /** Waits (90 s at most) until the service is in the state. */
  public void awaitState(String name, ServiceState state) {
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
        assertThat(service(name).getStatus().getState()).isEqualTo(state));
  }

  @Override
  public void close() {
    client.resources(Cloud.class).withName(cloud).delete();
  }
}
