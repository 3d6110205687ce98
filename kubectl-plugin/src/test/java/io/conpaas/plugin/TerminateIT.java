package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terminate against the real API server. No operator runs here, so the tests play its part: they
 * put the operator's finalizer on the service and take it off when "every VM is released".
 */
class TerminateIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-term");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void waitsUntilTheFinalizerIsReleasedAndTheServiceIsGone() throws Exception {
    TestObjects.helloWorld(client, ns, "doomed", 2);
    withFinalizer("doomed");

    CompletableFuture<Plugin.Result> terminate =
        CompletableFuture.supplyAsync(() -> Plugin.run("-n", ns, "terminate", "doomed"));

    // Deletion was requested, and terminate keeps waiting while the finalizer is there.
    await().atMost(Duration.ofSeconds(20)).until(() -> TestObjects.hello(client, ns, "doomed").get()
        .getMetadata().getDeletionTimestamp() != null);
    Thread.sleep(1500);
    assertThat(terminate).isNotDone();

    // The "operator" has released every VM.
    TestObjects.hello(client, ns, "doomed").edit(o -> {
      o.getMetadata().setFinalizers(List.of());
      return o;
    });

    Plugin.Result r = terminate.get(20, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("helloworldservice/doomed terminated\n");
    assertThat(TestObjects.hello(client, ns, "doomed").get()).isNull();
  }

  @Test
  void noWaitReturnsOnceDeletionIsRequested() {
    TestObjects.helloWorld(client, ns, "async", 1);
    withFinalizer("async");

    Plugin.Result r = Plugin.run("-n", ns, "terminate", "async", "--no-wait");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("helloworldservice/async terminating");
    GenericKubernetesResource left = TestObjects.hello(client, ns, "async").get();
    assertThat(left.getMetadata().getDeletionTimestamp()).isNotNull();
  }

  @Test
  void givesUpAfterTheTimeoutNamingThePendingFinalizer() {
    TestObjects.helloWorld(client, ns, "stuck", 1);
    withFinalizer("stuck");

    long start = System.nanoTime();
    Plugin.Result r = Plugin.run("-n", ns, "terminate", "stuck", "--timeout", "2s");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("error: timed out after 2s waiting for helloworldservice/stuck to be "
        + "terminated; finalizers still pending: " + ApiConstants.FINALIZER_SERVICE + " (is the operator running?)");
  }

  @Test
  void withoutAFinalizerTheServiceIsGoneAtOnce() {
    TestObjects.helloWorld(client, ns, "quick", 1);

    Plugin.Result r = Plugin.run("-n", ns, "terminate", "quick", "--timeout", "30s");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(TestObjects.hello(client, ns, "quick").get()).isNull();
    Plugin.Result again = Plugin.run("-n", ns, "terminate", "quick");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.errLines()).hasSize(1).first().asString().startsWith("error: service 'quick' not found");
  }

  private static void withFinalizer(String name) {
    TestObjects.hello(client, ns, name).edit(o -> {
      o.getMetadata().setFinalizers(List.of(ApiConstants.FINALIZER_SERVICE));
      return o;
    });
  }
}
