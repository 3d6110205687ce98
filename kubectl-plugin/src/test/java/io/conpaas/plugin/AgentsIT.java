package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
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

/** agents against the real API server: the Agent objects of one service, with their status. */
class AgentsIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void serviceWithAgents() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-agents");
    TestObjects.helloWorld(client, ns, "hw", 3);
    TestObjects.helloWorld(client, ns, "other", 1);
    TestObjects.helloWorld(client, ns, "lonely", 0);
    // Created out of order: the listing sorts by slot.
    TestObjects.agent(client, ns, "hw", "agents", 10, AgentPhase.Booting, "i-0010", null, "10.0.0.10", null, "aws-eu");
    TestObjects.agent(client, ns, "hw", "agents", 2, AgentPhase.Running, "i-0002", "203.0.113.2", "10.0.0.2",
        "172.16.32.3", "local-cloud");
    TestObjects.agent(client, ns, "hw", "agents", 0, AgentPhase.Running, "i-0000", "203.0.113.1", "10.0.0.1",
        "172.16.32.2", "local-cloud");
    TestObjects.agent(client, ns, "other", "agents", 0, AgentPhase.Failed, "i-9999", null, null, null, "aws-eu");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void listsTheServicesAgentsWithPhaseInstanceAddressesAndCloud() {
    Plugin.Result r = Plugin.run("-n", ns, "agents", "hw");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<List<String>> rows = r.out().lines().map(l -> List.of(l.split(" {3,}"))).toList();
    assertThat(rows).containsExactly(
        List.of("NAME", "ROLE", "PHASE", "INSTANCE", "PUBLIC", "PRIVATE", "VPN", "CLOUD"),
        List.of("hw-agents-0", "agents", "Running", "i-0000", "203.0.113.1", "10.0.0.1", "172.16.32.2", "local-cloud"),
        List.of("hw-agents-2", "agents", "Running", "i-0002", "203.0.113.2", "10.0.0.2", "172.16.32.3", "local-cloud"),
        List.of("hw-agents-10", "agents", "Booting", "i-0010", "-", "10.0.0.10", "-", "aws-eu"));
  }

  @Test
  void printsTheAgentObjectsAsYaml() {
    Plugin.Result r = Plugin.run("-n", ns, "agents", "other", "-o", "yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    KubernetesList list = Serialization.unmarshal(r.out(), KubernetesList.class);
    assertThat(list.getItems()).hasSize(1);
    Agent a = Serialization.unmarshal(Serialization.asJson(list.getItems().get(0)), Agent.class);
    assertThat(a.getKind()).isEqualTo("Agent");
    assertThat(a.getMetadata().getName()).isEqualTo("other-agents-0");
    assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Failed);
  }

  @Test
  void aServiceWithoutAgentsSaysSoAndAnUnknownServiceFails() {
    Plugin.Result none = Plugin.run("-n", ns, "agents", "lonely");
    assertThat(none.exitCode()).isZero();
    assertThat(none.errLines()).containsExactly("No agents found for helloworldservice/lonely in namespace " + ns + ".");

    Plugin.Result unknown = Plugin.run("-n", ns, "agents", "nosuch");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.errLines()).hasSize(1).first().asString().startsWith("error: service 'nosuch' not found");
  }
}
