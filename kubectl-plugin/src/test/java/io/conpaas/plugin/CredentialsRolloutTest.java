package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which running agents use a new password: they report a version of the Secret that holds it. */
class CredentialsRolloutTest {
  @Test
  void runningAgentsCountOnceTheyReportAVersionHoldingThePassword() {
    List<Agent> agents = List.of(
        agent("db-master-0", AgentPhase.Running, "41"),
        agent("db-slaves-0", AgentPhase.Running, "40"),
        agent("db-slaves-1", AgentPhase.Running, null),
        agent("db-slaves-2", AgentPhase.Booting, null),
        agent("db-slaves-3", null, null));

    CredentialsRollout r = CredentialsRollout.of(agents, Set.of("41", "43"));

    assertThat(r.done()).isFalse();
    assertThat(r.using()).containsExactly("db-master-0");
    assertThat(r.pending()).containsExactly("db-slaves-0 (credentials version 40)",
        "db-slaves-1 (no credentials version yet)");
    CredentialsRollout later = CredentialsRollout.of(List.of(agent("db-master-0", AgentPhase.Running, "41"),
        agent("db-slaves-0", AgentPhase.Running, "43")), Set.of("41", "43"));
    assertThat(later.done()).isTrue();
    assertThat(later.summary()).isEqualTo("2 agents use it");
  }

  @Test
  void withoutRunningAgentsItIsDoneAtOnce() {
    CredentialsRollout r = CredentialsRollout.of(List.of(agent("db-master-0", AgentPhase.Configuring, null)),
        Set.of("1"));

    assertThat(r.done()).isTrue();
    assertThat(r.summary()).isEqualTo("0 agents use it");
    assertThat(CredentialsRollout.of(List.of(agent("m", AgentPhase.Running, "1")), Set.of("1")).summary())
        .isEqualTo("1 agent uses it");
  }

  private static Agent agent(String name, AgentPhase phase, String credentialsVersion) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).build());
    if (phase != null) {
      AgentStatus st = new AgentStatus();
      st.setPhase(phase);
      st.setFacts(credentialsVersion == null ? Map.of("port", "3306")
          : Map.of("port", "3306", CredentialsRollout.FACT, credentialsVersion));
      a.setStatus(st);
    }
    return a;
  }
}
