package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.reconcilers.SoleWriterStatus;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Agent status write that records a new VM's token (SoleWriterStatus, guarded) against the real API
 * server: from a stale copy (an operator that just started, its informer replaying old states) it writes
 * nothing, so the VM the previous process recorded is neither forgotten nor doubled (SingleFaultIT's
 * stale-informer case found the unguarded write doing exactly that).
 */
class GuardedStatusWriteIT {
  private static final String MANAGER = "conpaas-test";
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "guarded");
  }

  @Test
  void aStaleCopyDoesNotOverwriteTheRecordedVmButAFreshOneDoes() {
    Agent created = client.resource(agent("a1")).create();
    // The previous operator process recorded the Agent's VM.
    Agent current = copy(created);
    current.setStatus(status(AgentPhase.Running, "i-recorded", "uid-1"));
    SoleWriterStatus.apply(client, current, MANAGER, false).orElseThrow();

    // The new process's informer serves the Agent as created: no VM, so the pass records a new token.
    Agent stale = copy(created);
    stale.setStatus(status(AgentPhase.Creating, null, "uid-1"));
    assertThat(SoleWriterStatus.apply(client, stale, MANAGER, true)).as("stale copy: nothing written").isEmpty();
    assertThat(served("a1").getStatus().getInstanceId()).isEqualTo("i-recorded");

    // A pass on the served copy writes.
    Agent fresh = served("a1");
    fresh.getStatus().setMessage("looked again");
    assertThat(SoleWriterStatus.apply(client, fresh, MANAGER, true)).isPresent();
    assertThat(served("a1").getStatus().getMessage()).isEqualTo("looked again");
  }

  @Test
  void anUnguardedWriteFromAStaleCopyLosesTheRecordedVm() {
    // Why the guard exists: the ordinary status write has no precondition.
    Agent created = client.resource(agent("a2")).create();
    Agent current = copy(created);
    current.setStatus(status(AgentPhase.Running, "i-recorded", "uid-1"));
    SoleWriterStatus.apply(client, current, MANAGER, false).orElseThrow();
    Agent stale = copy(created);
    stale.setStatus(status(AgentPhase.Creating, null, "uid-1"));
    SoleWriterStatus.apply(client, stale, MANAGER, false).orElseThrow();
    assertThat(served("a2").getStatus().getInstanceId()).isNull();
  }

  private static Agent served(String name) {
    return client.resources(Agent.class).inNamespace(ns).withName(name).get();
  }

  private static Agent copy(Agent a) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(a);
  }

  private static AgentStatus status(AgentPhase phase, String instanceId, String token) {
    AgentStatus st = new AgentStatus();
    st.setPhase(phase);
    st.setInstanceId(instanceId);
    st.setClientToken(token);
    return st;
  }

  private static Agent agent(String name) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud("nowhere");
    spec.setRole("agents");
    spec.setConfig(Map.of());
    a.setSpec(spec);
    return a;
  }
}
