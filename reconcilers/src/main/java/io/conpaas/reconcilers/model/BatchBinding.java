package io.conpaas.reconcilers.model;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmTags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which VM of a launch batch serves which Agent, decided after launch: the batch's still unbound
 * Agents in slot order take its still unbound VMs in launch-index order. Agents left over (the
 * cloud started fewer VMs) are missed and join a new batch; VMs left over (an Agent went away
 * before binding) are spare and belong to no one. Pure and deterministic, so a restarted operator
 * binds the same way from what status and the cloud say.
 */
public final class BatchBinding {
  /** An Agent waiting for a VM of the batch. */
  public record Member(String uid, int slot) {}

  /** The decision: uid → VM, missed Agents' uids, spare VMs. */
  public record Result(Map<String, VmObservation> bound, List<String> missed, List<VmObservation> spare) {}

  private BatchBinding() {}

  /** boundElsewhere: ids of VMs some Agent's status already names (never given twice). */
  public static Result bind(List<Member> waiting, List<VmObservation> vms, Set<String> boundElsewhere) {
    List<Member> members = waiting.stream()
        .sorted(Comparator.comparingInt(Member::slot).thenComparing(Member::uid)).toList();
    List<VmObservation> free = vms.stream()
        .filter(vm -> !boundElsewhere.contains(vm.instanceId()))
        .sorted(Comparator.comparingInt(BatchBinding::launchIndex).thenComparing(VmObservation::instanceId))
        .toList();
    Map<String, VmObservation> bound = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (i < free.size()) {
        bound.put(members.get(i).uid(), free.get(i));
      } else {
        missed.add(members.get(i).uid());
      }
    }
    List<VmObservation> spare = free.size() > members.size() ? free.subList(members.size(), free.size()) : List.of();
    return new Result(bound, missed, List.copyOf(spare));
  }

  /** The VM's place in its batch; VMs without one sort last. */
  public static int launchIndex(VmObservation vm) {
    try {
      return Integer.parseInt(vm.tags().getOrDefault(VmTags.LAUNCH_INDEX, ""));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
