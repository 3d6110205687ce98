package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batch VMs carry no Agent uid until tagged: they are claimed by a binding or a waiting batch. */
class OrphanVmsBatchTest {
  private final Instant now = Instant.parse("2026-12-05T19:00:00Z");

  private VmObservation batchVm(String id, String batch) {
    return new VmObservation(id, null, "b", Map.of(VmTags.CLUSTER, "c", VmTags.LAUNCH_BATCH, batch),
        VmState.RUNNING, null, null, null, now.minus(Duration.ofHours(1)));
  }

  @Test
  void aBatchVmIsClaimedByItsBindingOrItsWaitingBatchAndOtherwiseOrphaned() {
    List<VmObservation> vms = List.of(batchVm("i-bound", "cpb-done"), batchVm("i-waiting", "cpb-open"),
        batchVm("i-spare", "cpb-done"));

    List<VmObservation> orphans = OrphanVms.find(vms, Set.of(), Set.of("i-bound"), Set.of("cpb-open"), now,
        Duration.ofMinutes(5));

    assertThat(orphans).extracting(VmObservation::instanceId).containsExactly("i-spare");
  }
}
