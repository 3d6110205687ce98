package io.conpaas.agent.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which DataNodes the master keeps excluded, and why it reads the operator's list before the NameNode. */
class DataNodeExclusionsTest {

  @Test
  void keepsTheWantedAndTheDecommissionedButReadmitsTheDeadAndTheWithdrawn() {
    Map<String, String> states = Map.of(
        "10.0.0.1:9866", "Decommissioned",
        "10.0.0.2:9866", "Dead",
        "10.0.0.3:9866", "In Service",
        "10.0.0.4:9866", "Decommission In Progress",
        "10.0.0.5:9866", "Decommission In Progress");
    assertThat(DataNodeExclusions.excluded(List.of("10.0.0.5:9866", "10.0.0.6:9866"), states))
        .containsExactly("10.0.0.1:9866", "10.0.0.5:9866", "10.0.0.6:9866");
    assertThat(DataNodeExclusions.decommissioned(states)).containsExactly("10.0.0.1:9866");
    assertThat(DataNodeExclusions.inState(states, "In Service")).containsExactly("10.0.0.3:9866");
  }

  @Test
  void aWorkerReleasedDuringThePassStaysExcluded() throws Exception {
    // The world moves on after the pass's first read: the NameNode finishes decommissioning w1, the
    // worker leaves, its VM is released and the operator's list no longer names it.
    AtomicInteger reads = new AtomicInteger();
    DataNodeExclusions pass = new DataNodeExclusions(
        () -> reads.getAndIncrement() == 0 ? List.of("w1:9866") : List.of(),
        () -> Map.of("w0:9866", "In Service",
            "w1:9866", reads.getAndIncrement() == 0 ? "Decommission In Progress" : "Decommissioned"));

    DataNodeExclusions.Pass p = pass.next();

    // Read in the other order, w1 would be in neither list and the NameNode would send readers to it.
    assertThat(p.excluded()).containsExactly("w1:9866");
    assertThat(p.states()).containsEntry("w1:9866", "Decommissioned");
  }
}
