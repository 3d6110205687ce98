package io.conpaas.reconcilers.model;

import static io.conpaas.reconcilers.model.TestObjects.agent;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AgentPlan: create missing slots, update config in place, delete extras, replace moved ones. */
class AgentPlanTest {

  private static Agent hello(int index) {
    return agent("hello", "agents", index, "local", null, Map.of("message", "hi"));
  }

  private static List<String> names(List<Agent> agents) {
    return agents.stream().map(a -> a.getMetadata().getName()).toList();
  }

  @Test
  void nothingToDoWhenExistingMatchesDesired() {
    AgentPlan plan = AgentPlan.of(List.of(hello(0), hello(1)), List.of(hello(0), hello(1)));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void createsMissingSlots() {
    AgentPlan plan = AgentPlan.of(List.of(hello(0), hello(1), hello(2)), List.of(hello(1)));

    assertThat(names(plan.toCreate())).containsExactly("hello-agents-0", "hello-agents-2");
    assertThat(plan.toUpdate()).isEmpty();
    assertThat(plan.toDelete()).isEmpty();
  }

  @Test
  void updatesConfigOnlyChangeInPlace() {
    Agent want = agent("hello", "agents", 0, "local", null, Map.of("message", "bye"));

    AgentPlan plan = AgentPlan.of(List.of(want), List.of(hello(0)));

    assertThat(plan.toUpdate()).containsExactly(want);
    assertThat(plan.toCreate()).isEmpty();
    assertThat(plan.toDelete()).isEmpty();
  }

  @Test
  void deletesExtrasHighestIndexFirst() {
    AgentPlan plan = AgentPlan.of(List.of(hello(0)), List.of(hello(2), hello(0), hello(10), hello(1)));

    // 10 before 2: numeric slot order, not name order.
    assertThat(names(plan.toDelete())).containsExactly("hello-agents-10", "hello-agents-2", "hello-agents-1");
    assertThat(plan.toCreate()).isEmpty();
  }

  @Test
  void replacesAgentWhoseCloudChanged() {
    Agent moved = agent("hello", "agents", 0, "ec2", null, Map.of("message", "hi"));

    AgentPlan plan = AgentPlan.of(List.of(moved), List.of(hello(0)));

    // The old one goes first; the slot is created again once it is gone.
    assertThat(names(plan.toDelete())).containsExactly("hello-agents-0");
    assertThat(plan.toDelete().get(0).getSpec().getCloud()).isEqualTo("local");
    assertThat(plan.toCreate()).isEmpty();
    assertThat(plan.toUpdate()).isEmpty();
  }

  @Test
  void replacesAgentWhoseInstanceTypeChanged() {
    Agent bigger = agent("hello", "agents", 0, "local", "large", Map.of("message", "hi"));

    AgentPlan plan = AgentPlan.of(List.of(bigger), List.of(hello(0)));

    assertThat(names(plan.toDelete())).containsExactly("hello-agents-0");
    assertThat(plan.toUpdate()).isEmpty();
  }

  @Test
  void doesNotCreateSlotWhileItsOldAgentIsBeingDeleted() {
    Agent leaving = hello(0);
    leaving.getMetadata().setDeletionTimestamp("2024-01-01T00:00:00Z");

    AgentPlan plan = AgentPlan.of(List.of(hello(0), hello(1)), List.of(leaving));

    assertThat(names(plan.toCreate())).containsExactly("hello-agents-1");
    assertThat(plan.toDelete()).isEmpty();
  }

  @Test
  void createsSlotAgainOnceOldAgentIsGone() {
    Agent moved = agent("hello", "agents", 0, "ec2", null, Map.of("message", "hi"));

    AgentPlan plan = AgentPlan.of(List.of(moved), List.of());

    assertThat(plan.toCreate()).containsExactly(moved);
  }
}
