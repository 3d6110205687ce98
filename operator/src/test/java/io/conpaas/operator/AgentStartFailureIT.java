package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.operator.testing.CountingDriver;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that dies at start: when the cloud says the failure would repeat on a new VM, the
 * Agent fails at once (no retries) and its status, an Event and the service carry the agent's own
 * reason; when it may not repeat, the retries carry the reason too.
 */
class AgentStartFailureIT {
  private static final String WHY = "www-data cannot reach /root/.cache/conpaas; chmod o+x it";

  @TempDir
  Path workDir;

  /** The cloud's view of a dead agent as the local driver gives it: its last words, permanent or not. */
  private static final class ReasonedFailures implements IaasDriver {
    private final IaasDriver delegate;
    private final boolean permanent;

    ReasonedFailures(IaasDriver delegate, boolean permanent) {
      this.delegate = delegate;
      this.permanent = permanent;
    }

    @Override
    public VmObservation create(VmRequest request) {
      return delegate.create(request);
    }

    @Override
    public List<VmObservation> list(String clusterId) {
      return delegate.list(clusterId).stream().map(vm -> vm.state() != VmState.FAILED ? vm
          : new VmObservation(vm.instanceId(), vm.clientToken(), vm.name(), vm.tags(), vm.state(),
              vm.publicAddress(), vm.privateAddress(), vm.agentEndpoint(), vm.createdAt(), WHY, permanent)).toList();
    }

    @Override
    public void terminate(Collection<String> instanceIds) {
      delegate.terminate(instanceIds);
    }

    @Override
    public void verify() {
      delegate.verify();
    }
  }

  private static LocalDriver dyingAgents(Path workDir) {
    return new LocalDriver(workDir, contextFile -> List.of("sh", "-c", "echo '" + WHY + "' >&2; exit 3",
        contextFile.toString()));
  }

  @Test
  void aDeterministicStartFailureFailsTheAgentAtOnceWithTheAgentsReason() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "startfail", workDir);
    String ns = world.namespace();
    CountingDriver driver = new CountingDriver(new ReasonedFailures(dyingAgents(workDir), true));
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3),
        (c, creds) -> driver)) {
      client.resource(Fixtures.helloWorld(ns, "doomed", "app", 1, "never")).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("doomed").get();
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(s.getStatus().getMessage()).contains("doomed-agents-0").contains(WHY);
      });
      Agent agent = client.resources(Agent.class).inNamespace(ns).withName("doomed-agents-0").get();
      assertThat(agent.getStatus().getPhase()).isEqualTo(AgentPhase.Failed);
      assertThat(agent.getStatus().getAttempts()).isEqualTo(1);
      assertThat(agent.getStatus().getMessage()).contains(WHY).contains("not retried");
      assertThat(agent.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Degraded");
        assertThat(c.getReason()).isEqualTo("AgentStartFailed");
        assertThat(c.getMessage()).contains(WHY);
      });
      assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("AgentStartFailed");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains(WHY);
      });
      assertThat(driver.created).hasSize(1);

      client.resources(HelloWorldService.class).inNamespace(ns).withName("doomed").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(HelloWorldService.class).inNamespace(ns).withName("doomed").get() == null);
      // The Cloud goes too while the operator runs (its finalizer waits for the Agents first).
      world.close();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(io.conpaas.api.v1alpha1.Cloud.class).withName(world.cloud()).get() == null);
    } finally {
      world.close();
    }
  }

  @Test
  void aStartFailureThatMayNotRepeatIsRetriedWithTheReasonInEachMessage() {
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "startretry", workDir);
    String ns = world.namespace();
    CountingDriver driver = new CountingDriver(new ReasonedFailures(dyingAgents(workDir), false));
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 2),
        (c, creds) -> driver)) {
      client.resource(Fixtures.helloWorld(ns, "flaky", "app", 1, "never")).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("flaky").get();
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(s.getStatus().getMessage()).contains(WHY).contains("gave up after 2 attempts");
      });
      assertThat(driver.created).hasSize(2);
      assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("VmRetried");
        assertThat(e.getMessage()).contains(WHY);
      });

      client.resources(HelloWorldService.class).inNamespace(ns).withName("flaky").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(HelloWorldService.class).inNamespace(ns).withName("flaky").get() == null);
      // The Cloud goes too while the operator runs (its finalizer waits for the Agents first).
      world.close();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(io.conpaas.api.v1alpha1.Cloud.class).withName(world.cloud()).get() == null);
    } finally {
      world.close();
    }
  }
}
