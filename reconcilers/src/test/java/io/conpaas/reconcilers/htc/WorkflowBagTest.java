package io.conpaas.reconcilers.htc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowBagTest {
  @Test
  void tasksNameTheTasksTheyWaitFor() {
    List<WorkflowBag.Node> nodes = WorkflowBag.parse("# render then join\nr1: echo 1\nr2: echo 2\n"
        + "join after r1, r2: cat a b\n", Map.of());
    assertThat(nodes).extracting(WorkflowBag.Node::name).containsExactly("r1", "r2", "join");
    assertThat(nodes.get(2).after()).containsExactly("r1", "r2");
    assertThat(nodes.get(2).command()).isEqualTo("cat a b");
  }

  @Test
  void aCycleIsRefusedNamingIt() {
    assertThatThrownBy(() -> WorkflowBag.parse("a after c: true\nb after a: true\nc after b: true\n", Map.of()))
        .hasMessage("workflow cycle: a -> c -> b -> a");
    assertThatThrownBy(() -> WorkflowBag.parse("x after x: true\n", Map.of()))
        .hasMessage("workflow cycle: x -> x");
  }

  @Test
  void dependenciesMayBeOnEarlierBagsButMustExist() {
    assertThat(WorkflowBag.parse("b after a: true", Map.of("a", List.of()))).hasSize(1);
    assertThatThrownBy(() -> WorkflowBag.parse("b after z: true", Map.of("a", List.of())))
        .hasMessage("task b waits for z, which is no task of the job");
    assertThatThrownBy(() -> WorkflowBag.parse("a: true", Map.of("a", List.of())))
        .hasMessageContaining("task name a is used twice");
    assertThatThrownBy(() -> WorkflowBag.parse("just a command", Map.of())).hasMessageContaining("line 1: expected");
  }

  @Test
  void cycleFindsNoneInADag() {
    assertThat(WorkflowBag.cycle(Map.of("a", List.of(), "b", List.of("a"), "c", List.of("a", "b")))).isEmpty();
  }
}
