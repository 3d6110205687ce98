package io.conpaas.agent.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a leaving worker may stop its DataNode (and so let its VM go). */
class WorkerLeaveTest {

  @Test
  void onlyOnceTheNameNodeDecommissionedItOrNeverKnewIt() {
    assertThat(MapReduceWorkerRole.leaveDone(Optional.of("Decommissioned"), true)).isTrue();
    assertThat(MapReduceWorkerRole.leaveDone(Optional.of("Decommission In Progress"), true)).isFalse();
    assertThat(MapReduceWorkerRole.leaveDone(Optional.of("In Service"), true)).isFalse();
    // Never registered: no block to move.
    assertThat(MapReduceWorkerRole.leaveDone(Optional.empty(), false)).isTrue();
  }

  @Test
  void aDataNodeARestartedNameNodeNoLongerListsIsWaitedFor() {
    assertThat(MapReduceWorkerRole.leaveDone(Optional.empty(), true)).isFalse();
  }
}
