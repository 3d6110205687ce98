package io.conpaas.reconcilers.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulReleaseTest {
  private static Agent agent(String name, Boolean stateful) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).build());
    AgentSpec spec = new AgentSpec();
    spec.setStateful(stateful);
    a.setSpec(spec);
    return a;
  }

  @Test
  void aCreditStopReleasingAMasterSaysItsDataGoes() {
    assertThat(StatefulRelease.warning(List.of(agent("db-master-0", true), agent("db-slaves-0", null))))
        .contains("db-master-0").doesNotContain("db-slaves-0").contains("data");
    assertThat(StatefulRelease.warning(List.of(agent("hello-agents-0", null)))).isEmpty();
  }
}
