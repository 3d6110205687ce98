package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** logs against the real API server: Events of a service and its agents, oldest first. */
class LogsIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void serviceAgentsAndEvents() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-logs");
    TestObjects.helloWorld(client, ns, "hw", 2);
    TestObjects.helloWorld(client, ns, "hw-two", 1);
    TestObjects.agent(client, ns, "hw", "agents", 0, AgentPhase.Running, "i-1", null, null, null, "local");
    TestObjects.agent(client, ns, "hw", "agents", 1, AgentPhase.Running, "i-2", null, null, null, "local");
    // Created out of time order; one is about an agent that is already gone, one about another service.
    TestObjects.event(client, ns, "e4", "HelloWorldService", "hw", "Normal", "RUNNING", "every role is ready",
        "2030-01-01T10:04:00Z");
    TestObjects.event(client, ns, "e2", "Agent", "hw-agents-1", "Normal", "VmCreated", "instance i-2",
        "2030-01-01T10:02:00Z");
    TestObjects.event(client, ns, "e1", "Agent", "hw-agents-0", "Normal", "VmCreated", "instance i-1",
        "2030-01-01T10:01:00Z");
    TestObjects.event(client, ns, "e3", "Agent", "hw-agents-7", "Warning", "VmReplaced",
        "agent did not answer\nwithin 30s", "2030-01-01T10:03:00Z");
    TestObjects.event(client, ns, "e0", "HelloWorldService", "hw", "Normal", "PROLOGUE", "starting agents",
        "2030-01-01T10:00:00Z");
    TestObjects.event(client, ns, "x1", "HelloWorldService", "hw-two", "Normal", "RUNNING", "not mine",
        "2030-01-01T10:00:30Z");
    TestObjects.event(client, ns, "x2", "Agent", "hw-two-agents-0", "Normal", "VmCreated", "not mine either",
        "2030-01-01T10:00:40Z");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void showsTheEventsOfTheServiceAndItsAgentsOldestFirst() {
    Plugin.Result r = Plugin.run("-n", ns, "logs", "hw");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<List<String>> rows = r.out().lines().map(l -> List.of(l.split(" {3,}"))).toList();
    assertThat(rows).containsExactly(
        List.of("TIME", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        List.of("2030-01-01T10:00:00Z", "Normal", "PROLOGUE", "helloworldservice/hw", "starting agents"),
        List.of("2030-01-01T10:01:00Z", "Normal", "VmCreated", "agent/hw-agents-0", "instance i-1"),
        List.of("2030-01-01T10:02:00Z", "Normal", "VmCreated", "agent/hw-agents-1", "instance i-2"),
        List.of("2030-01-01T10:03:00Z", "Warning", "VmReplaced", "agent/hw-agents-7", "agent did not answer within 30s"),
        List.of("2030-01-01T10:04:00Z", "Normal", "RUNNING", "helloworldservice/hw", "every role is ready"));
  }

  @Test
  void oneAgentShowsOnlyItsEvents() {
    Plugin.Result r = Plugin.run("-n", ns, "logs", "hw", "--agent", "hw-agents-1", "-o", "json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    KubernetesList list = Serialization.unmarshal(r.out(), KubernetesList.class);
    assertThat(list.getItems()).extracting(e -> e.getMetadata().getName()).containsExactly("e2");
  }

  @Test
  void anAgentOfAnotherServiceIsRefusedNamingTheServicesAgents() {
    Plugin.Result r = Plugin.run("-n", ns, "logs", "hw", "--agent", "hw-two-agents-0");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "error: agent 'hw-two-agents-0' is not an agent of helloworldservice/hw; its agents: hw-agents-0, hw-agents-1");
  }

  @Test
  void theHelpSaysAgentLogStreamingIsNotAvailableYet() {
    Plugin.Result r = Plugin.run("logs", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Streaming an agent's own log is not available yet");
  }
}
