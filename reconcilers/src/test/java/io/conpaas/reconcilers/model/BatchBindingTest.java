package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchBindingTest {
  static VmObservation vm(String id, int index) {
    return new VmObservation(id, null, "b", Map.of(VmTags.LAUNCH_BATCH, "cpb-1", VmTags.LAUNCH_INDEX,
        Integer.toString(index)), VmState.PENDING, null, null, null, Instant.EPOCH);
  }

  static BatchBinding.Member m(String uid, int slot) {
    return new BatchBinding.Member(uid, slot);
  }

  @Test
  void membersInSlotOrderTakeVmsInLaunchIndexOrder() {
    var r = BatchBinding.bind(List.of(m("c", 2), m("a", 0), m("b", 1)), List.of(vm("i-z", 1), vm("i-y", 2),
        vm("i-x", 0)), Set.of());

    assertThat(r.bound()).containsEntry("a", vm("i-x", 0)).containsEntry("b", vm("i-z", 1))
        .containsEntry("c", vm("i-y", 2));
    assertThat(r.missed()).isEmpty();
    assertThat(r.spare()).isEmpty();
  }

  @Test
  void fewerVmsThanMembersLeaveTheLastSlotsMissed() {
    var r = BatchBinding.bind(List.of(m("a", 0), m("b", 1), m("c", 2), m("d", 3)), List.of(vm("i-0", 0),
        vm("i-1", 1)), Set.of());

    assertThat(r.bound()).containsOnlyKeys("a", "b");
    assertThat(r.missed()).containsExactly("c", "d");
  }

  @Test
  void vmsAnAgentAlreadyRecordsAreNeverGivenAgainAndTheRestFollowTheOrder() {
    // After a crash mid-binding: slot 0 recorded i-0, slots 1 and 2 still wait.
    var r = BatchBinding.bind(List.of(m("b", 1), m("c", 2)), List.of(vm("i-0", 0), vm("i-1", 1), vm("i-2", 2)),
        Set.of("i-0"));

    assertThat(r.bound()).containsEntry("b", vm("i-1", 1)).containsEntry("c", vm("i-2", 2));
    assertThat(r.bound().values()).extracting(VmObservation::instanceId).doesNotContain("i-0");
  }

  @Test
  void vmsOfMembersThatWentAwayAreSpare() {
    var r = BatchBinding.bind(List.of(m("a", 0)), List.of(vm("i-0", 0), vm("i-1", 1)), Set.of());

    assertThat(r.bound()).containsOnlyKeys("a");
    assertThat(r.spare()).extracting(VmObservation::instanceId).containsExactly("i-1");
  }

  @Test
  void theSameInputsBindTheSameWayWhateverTheirOrder() {
    var one = BatchBinding.bind(List.of(m("a", 0), m("b", 1)), List.of(vm("i-0", 0), vm("i-1", 1)), Set.of());
    var two = BatchBinding.bind(List.of(m("b", 1), m("a", 0)), List.of(vm("i-1", 1), vm("i-0", 0)), Set.of());

    assertThat(two.bound()).isEqualTo(one.bound());
  }
}
