package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** maxUnhealthy per Cloud, computed from the Agents' recorded unreachableSince. */
class MassUnreachabilityTest {
  private static final Instant T = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);

  private static Agent agent(String name, String cloud, AgentPhase phase, Instant silentSince) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setPhase(phase);
    st.setInstanceId("i-" + name);
    st.setUnreachableSince(silentSince == null ? null : silentSince.toString());
    a.setStatus(st);
    return a;
  }

  /** n agents on cloud "c", the first silent ones silent since the given instants. */
  private static List<Agent> cloud(int n, Instant... silent) {
    List<Agent> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(agent("a" + i, "c", AgentPhase.Running, i < silent.length ? silent[i] : null));
    }
    return all;
  }

  @Test
  void fourOfFiveSilentAtOnceHoldEveryReplacement() {
    MassUnreachability.Assessment a = MassUnreachability.assess("c",
        cloud(5, T, T.plusSeconds(1), T.plusSeconds(3), T.plusSeconds(4)), 0.5, WINDOW);
    assertThat(a.held()).isTrue();
    assertThat(a.unreachable()).isEqualTo(4);
    assertThat(a.total()).isEqualTo(5);
    assertThat(a.message()).contains("4 of 5 agents on Cloud c");
  }

  @Test
  void oneOrHalfSilentIsNoNetworkSuspicion() {
    assertThat(MassUnreachability.assess("c", cloud(5, T), 0.5, WINDOW).held()).isFalse();
    assertThat(MassUnreachability.assess("c", cloud(4, T, T), 0.5, WINDOW).held()).isFalse();
    // A lone agent cannot tell the operator's network from its own VM.
    assertThat(MassUnreachability.assess("c", cloud(1, T), 0.5, WINDOW).held()).isFalse();
    assertThat(MassUnreachability.assess("c", cloud(2, T, T), 0.5, WINDOW).held()).isTrue();
  }

  @Test
  void agentsThatFellSilentFarApartAreSeparateFailuresNotACut() {
    List<Agent> agents = cloud(5, T, T.plusSeconds(120), T.plusSeconds(240), T.plusSeconds(360));
    assertThat(MassUnreachability.assess("c", agents, 0.5, WINDOW).held()).isFalse();
    assertThat(MassUnreachability.assess("c", agents, 0.5, Duration.ofMinutes(10)).held()).isTrue();
  }

  @Test
  void onlyTheCloudsAgentsWithARunningVmCount() {
    List<Agent> agents = cloud(2, T, T);
    agents.add(agent("other", "elsewhere", AgentPhase.Running, T));
    agents.add(agent("booting", "c", AgentPhase.Booting, null));
    agents.add(agent("failed", "c", AgentPhase.Failed, null));
    for (int i = 0; i < 3; i++) {
      agents.add(agent("ok" + i, "c", AgentPhase.Running, null));
    }
    MassUnreachability.Assessment a = MassUnreachability.assess("c", agents, 0.5, WINDOW);
    assertThat(a.total()).isEqualTo(5);
    assertThat(a.unreachable()).isEqualTo(2);
    assertThat(a.held()).isFalse();
  }

  @Test
  void aShareOfOneNeverHolds() {
    assertThat(MassUnreachability.assess("c", cloud(3, T, T, T), 1.0, WINDOW).held()).isFalse();
  }
}
