package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stop and start against the real API server: they flip spec.stopped and nothing else. */
class StartStopIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-stop");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void stopAndStartFlipSpecStoppedOnly() {
    GenericKubernetesResource before = TestObjects.helloWorld(client, ns, "pausable", 2);

    Plugin.Result stop = Plugin.run("-n", ns, "stop", "pausable");

    assertThat(stop.exitCode()).as(stop.toString()).isZero();
    assertThat(stop.out()).isEqualTo("helloworldservice/pausable stopping (spec.stopped=true)\n");
    GenericKubernetesResource stopped = TestObjects.hello(client, ns, "pausable").get();
    assertThat((Object) stopped.get("spec", "stopped")).isEqualTo(true);
    assertThat(specWithoutStopped(stopped)).isEqualTo(specWithoutStopped(before));
    assertThat(stopped.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(stopped.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
    ManagedFieldsEntry mine = TestObjects.managedBy(stopped, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(TestObjects.fields(mine)).isEqualTo(Map.of("f:spec", Map.of("f:stopped", Map.of())));
    assertThat(TestObjects.managedBy(stopped, TestObjects.SETUP_MANAGER, "").orElseThrow().getFieldsV1())
        .isEqualTo(TestObjects.managedBy(before, TestObjects.SETUP_MANAGER, "").orElseThrow().getFieldsV1());

    Plugin.Result start = Plugin.run("-n", ns, "start", "pausable");

    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.out()).isEqualTo("helloworldservice/pausable starting (spec.stopped=false)\n");
    GenericKubernetesResource started = TestObjects.hello(client, ns, "pausable").get();
    assertThat((Object) started.get("spec", "stopped")).isEqualTo(false);
    assertThat(specWithoutStopped(started)).isEqualTo(specWithoutStopped(before));
  }

  @Test
  void stoppingAnUnknownServiceFailsInOneLine() {
    Plugin.Result r = Plugin.run("-n", ns, "stop", "ghost");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("error: service 'ghost' not found in namespace '" + ns
        + "' (kubectl conpaas list -n " + ns + " shows its services)");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specWithoutStopped(GenericKubernetesResource o) {
    Map<String, Object> spec = new HashMap<>((Map<String, Object>) o.get("spec"));
    spec.remove("stopped");
    return spec;
  }
}
