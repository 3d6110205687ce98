package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.PausedProcesses;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster API's maxUnhealthy for agents: when 4 of a Cloud's 5 agents stop answering at once the
 * operator suspects its own network and replaces none (Cloud condition AgentsUnreachable); when
 * they answer again everything runs on the same VMs. A single silent agent is still replaced after
 * the health timeout.
 */
class MaxUnhealthyIT {
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path workDir;

  @Test
  void fourOfFiveSilentAtOnceAreHeldAndOneAloneIsReplaced() throws Exception {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "maxunh", workDir);
    String ns = world.namespace();
    try (PausedProcesses paused = new PausedProcesses();
         ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, HEALTH_TIMEOUT, 3),
             TestOperator.localDrivers(workDir))) {
      world.helloWorld("hw", 5, "steady");
      world.awaitState("hw", ServiceState.RUNNING);
      Map<String, String> instances = instances(client, ns);
      assertThat(instances).hasSize(5);

      List<String> silent = List.of("hw-agents-0", "hw-agents-1", "hw-agents-2", "hw-agents-3");
      for (String agent : silent) {
        paused.pause(LocalVms.pid(workDir, instances.get(agent)).orElseThrow());
      }
      Instant cut = Instant.now();
      await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
        Condition c = condition(client, world.cloud(), "AgentsUnreachable").orElseThrow();
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage()).contains("4 of 5 agents");
      });
      // Three health timeouts: nothing replaced.
      while (Duration.between(cut, Instant.now()).compareTo(HEALTH_TIMEOUT.multipliedBy(3)) < 0) {
        assertThat(instances(client, ns)).isEqualTo(instances);
        Thread.sleep(1000);
      }
      assertThat(client.resources(Agent.class).inNamespace(ns).withName("hw-agents-0").get().getStatus().getMessage())
          .contains("not replaced");
      assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("AgentsUnreachable");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getInvolvedObject().getName()).isEqualTo(world.cloud());
      });

      paused.close();
      world.awaitState("hw", ServiceState.RUNNING);
      assertThat(instances(client, ns)).isEqualTo(instances);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          condition(client, world.cloud(), "AgentsUnreachable").orElseThrow().getStatus()).isEqualTo("False"));

      // One silent agent alone is an agent problem: replaced after the timeout, as before.
      String lone = instances.get("hw-agents-4");
      long lonePid = LocalVms.pid(workDir, lone).orElseThrow();
      paused.pause(lonePid);
      Instant paused4 = Instant.now();
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        Agent a = client.resources(Agent.class).inNamespace(ns).withName("hw-agents-4").get();
        assertThat(a.getStatus().getInstanceId()).isNotEqualTo(lone);
        assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running);
      });
      assertThat(Duration.between(paused4, Instant.now())).isGreaterThanOrEqualTo(HEALTH_TIMEOUT);
      world.awaitState("hw", ServiceState.RUNNING);
      Map<String, String> after = instances(client, ns);
      for (String agent : silent) {
        assertThat(after.get(agent)).isEqualTo(instances.get(agent));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> !LocalVms.alive(lonePid));

      client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0);
      // The Cloud goes too while the operator runs (its finalizer waits for the Agents first).
      world.close();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(Cloud.class).withName(world.cloud()).get() == null);
    } finally {
      world.close();
    }
  }

  private static Map<String, String> instances(KubernetesClient client, String ns) {
    Map<String, String> m = new TreeMap<>();
    client.resources(Agent.class).inNamespace(ns).list().getItems()
        .forEach(a -> m.put(a.getMetadata().getName(), a.getStatus().getInstanceId()));
    return m;
  }

  private static Optional<Condition> condition(KubernetesClient client, String cloud, String type) {
    Cloud c = client.resources(Cloud.class).withName(cloud).get();
    return c == null || c.getStatus() == null ? Optional.empty()
        : c.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
  }
}
