package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorHealthTest {
  @Test
  void healthyWhenEverythingRuns() {
    assertThat(OperatorHealth.problems(Map.of("agent", Map.of()), Map.of("Cloud", true))).isEmpty();
  }

  @Test
  void eachStoppedPartIsNamed() {
    assertThat(OperatorHealth.problems(Map.of("agent", Map.of("AgentInformer", "x")), Map.of("Cloud", false)))
        .containsExactly("controller agent: event sources not healthy: AgentInformer", "cache of Cloud stopped");
  }
}
