package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The arithmetic and checks of add-nodes and remove-nodes. */
class NodeCountsTest {
  @Test
  void addsAndRemovesDownToZero() {
    assertThat(NodeCounts.apply("helloworldservice/hw", "agents", 2, 3)).isEqualTo(new NodeCounts.Change("agents", 2, 5));
    assertThat(NodeCounts.apply("helloworldservice/hw", "agents", 2, -2).after()).isZero();
  }

  @Test
  void neverGoesBelowZero() {
    assertThatThrownBy(() -> NodeCounts.apply("helloworldservice/hw", "agents", 2, -3))
        .isInstanceOf(CliException.class)
        .hasMessage("cannot remove 3 nodes from role agents of helloworldservice/hw: it has 2 and cannot go below 0");
    assertThatThrownBy(() -> NodeCounts.apply("phpservice/web", "proxy", 0, -1))
        .hasMessage("cannot remove 1 node from role proxy of phpservice/web: it has 0 and cannot go below 0");
  }

  @Test
  void nMustBeAtLeastOne() {
    assertThat(NodeCounts.requirePositive(1)).isEqualTo(1);
    assertThatThrownBy(() -> NodeCounts.requirePositive(0)).isInstanceOfSatisfying(CliException.class,
        e -> assertThat(e.exitCode()).isEqualTo(2));
    assertThatThrownBy(() -> NodeCounts.requirePositive(-4)).hasMessage("N must be at least 1 (got -4)");
  }
}
