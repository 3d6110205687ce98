package io.conpaas.reconcilers.model;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which of this operator's VMs belong to no Agent: tagged with our cluster id but with an
 * Agent uid no Agent object has (or none at all), and older than the grace period, so a VM whose
 * Agent is only being created, or whose id has not reached status yet, is never taken. Pure.
 */
public final class OrphanVms {
  private OrphanVms() {}

  /**
   * The VMs an operator watching these namespaces may take for its own (empty: all namespaces). Two
   * installations in one cluster derive the same cluster id; scoped to different namespaces, each sees
   * the other's Agents nowhere, so without this each would terminate the other's VMs as orphans. A VM
   * without a namespace tag is left to an operator that watches every namespace.
   */
  public static List<VmObservation> inScope(List<VmObservation> vms, java.util.Collection<String> namespaces) {
    if (namespaces == null || namespaces.isEmpty()) {
      return vms;
    }
    // The tag first: an immutable set's contains(null) throws.
    return vms.stream().filter(vm -> {
      String ns = vm.tags().get(io.conpaas.iaas.VmTags.NAMESPACE);
      return ns != null && namespaces.contains(ns);
    }).toList();
  }

  public static List<VmObservation> find(List<VmObservation> vms, Set<String> agentUids, Instant now,
      Duration grace) {
    return find(vms, agentUids, Set.of(), Set.of(), now, grace);
  }

  /**
   * Also claimed: a VM whose id an Agent's status names (a batch VM bound before its Agent's tags
   * reached it) and a VM of a launch batch that an Agent still waits to be bound from.
   */
  public static List<VmObservation> find(List<VmObservation> vms, Set<String> agentUids, Set<String> boundIds,
      Set<String> pendingBatches, Instant now, Duration grace) {
    return vms.stream()
        .filter(vm -> vm.state() != VmState.TERMINATING)
        .filter(vm -> !agentUids.contains(vm.tags().getOrDefault(VmTags.AGENT_UID, "")))
        .filter(vm -> !boundIds.contains(vm.instanceId()))
        .filter(vm -> !pendingBatches.contains(vm.tags().getOrDefault(VmTags.LAUNCH_BATCH, "")))
        .filter(vm -> vm.createdAt() == null || vm.createdAt().plus(grace).isBefore(now))
        .toList();
  }
}
