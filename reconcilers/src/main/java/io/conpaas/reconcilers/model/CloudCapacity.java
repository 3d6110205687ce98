package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Cloud.spec.maxInstances: may one more VM be created? Pure. */
public final class CloudCapacity {
  /**
   * Empty when a VM with this client token may be created (or exists already and is adopted);
   * otherwise a message naming the Cloud and how many instances it holds.
   */
  public Optional<String> fullFor(Cloud cloud, List<VmObservation> vms, String clientToken) {
    Integer max = cloud.getSpec().getMaxInstances();
    if (max == null || vms.stream().anyMatch(vm -> Objects.equals(vm.clientToken(), clientToken))) {
      return Optional.empty();
    }
    long live = vms.stream().filter(vm -> vm.state() != VmState.TERMINATING).count();
    return live < max ? Optional.empty()
        : Optional.of("Cloud " + cloud.getMetadata().getName() + " is full: " + live + " of " + max + " instances");
  }

  /** How many more VMs the Cloud takes (Integer.MAX_VALUE without maxInstances; 0 or less when full). */
  public int room(Cloud cloud, List<VmObservation> vms) {
    Integer max = cloud.getSpec().getMaxInstances();
    if (max == null) {
      return Integer.MAX_VALUE;
    }
    return max - (int) vms.stream().filter(vm -> vm.state() != VmState.TERMINATING).count();
  }
}
