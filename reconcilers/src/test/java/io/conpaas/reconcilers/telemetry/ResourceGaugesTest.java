package io.conpaas.reconcilers.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agents per Cloud and phase and Cloud readiness, computed from cached objects at scrape time. */
class ResourceGaugesTest {
  private static Cloud cloud(String name, String ready) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    if (ready != null) {
      CloudStatus st = new CloudStatus();
      st.getConditions().add(new ConditionBuilder().withType("Ready").withStatus(ready).build());
      c.setStatus(st);
    }
    return c;
  }

  private static Agent agent(String name, String cloud, AgentPhase phase) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    if (phase != null) {
      AgentStatus st = new AgentStatus();
      st.setPhase(phase);
      a.setStatus(st);
    }
    return a;
  }

  @Test
  void everyPhaseOfEveryCloudIsCountedZerosIncluded() {
    var counts = ResourceGauges.count(List.of(cloud("a", "True")), List.of(agent("x", "a", AgentPhase.Running),
        agent("y", "a", AgentPhase.Running), agent("z", "a", null), agent("w", "gone", AgentPhase.Failed)));
    assertThat(counts).containsEntry(new ResourceGauges.Key("a", "Running"), 2L)
        .containsEntry(new ResourceGauges.Key("a", "Pending"), 1L)
        .containsEntry(new ResourceGauges.Key("a", "Booting"), 0L)
        .containsEntry(new ResourceGauges.Key("gone", "Failed"), 1L)
        .hasSize(AgentPhase.values().length + 1);
  }

  @Test
  void theGaugesFollowTheCachesOnEachRefresh() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Cloud> clouds = new ArrayList<>(List.of(cloud("a", "True"), cloud("b", "False")));
    List<Agent> agents = new ArrayList<>(List.of(agent("x", "a", AgentPhase.Booting)));
    ResourceGauges gauges = new ResourceGauges(registry, () -> clouds, () -> agents, new VmMetrics(registry));
    gauges.refresh();
    assertThat(registry.get("conpaas.agents").tags("cloud", "a", "phase", "Booting").gauge().value()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.ready").tags("cloud", "a").gauge().value()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.ready").tags("cloud", "b").gauge().value()).isZero();
    assertThat(registry.get("conpaas.agent.failures").tags("cloud", "b").counter().count()).as("at zero").isZero();

    agents.set(0, agent("x", "a", AgentPhase.Running));
    clouds.remove(1);
    gauges.refresh();
    assertThat(registry.get("conpaas.agents").tags("cloud", "a", "phase", "Booting").gauge().value()).isZero();
    assertThat(registry.get("conpaas.agents").tags("cloud", "a", "phase", "Running").gauge().value()).isEqualTo(1);
    assertThat(registry.find("conpaas.cloud.ready").tags("cloud", "b").gauge()).as("a deleted Cloud").isNull();
  }
}
