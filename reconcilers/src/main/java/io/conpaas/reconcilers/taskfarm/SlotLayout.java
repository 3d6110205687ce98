package io.conpaas.reconcilers.taskfarm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which instance type each worker slot (Agent name suffix) has in the execution: slots the sampling
 * workers hold keep their type when the mix needs that many of it, so those VMs carry on; the rest
 * of the mix fills the other slots. Pure.
 */
public final class SlotLayout {
  private SlotLayout() {}

  /**
   * The execution's slot types for the mix (type -> count), given the sampling slots' types: a sampling
   * slot keeps its type while the mix wants more of it, else it is left empty (null: its VM goes); the
   * rest of the mix gets new slots after the sampling ones, in mix order.
   */
  public static List<String> of(List<String> samplingSlots, Map<String, Integer> mix) {
    Map<String, Integer> left = new LinkedHashMap<>(mix);
    List<String> slots = new ArrayList<>();
    for (String kept : samplingSlots) {
      if (left.getOrDefault(kept, 0) > 0) {
        slots.add(kept);
        left.merge(kept, -1, Integer::sum);
      } else {
        slots.add(null);
      }
    }
    left.forEach((type, n) -> { for (int i = 0; i < n; i++) { slots.add(type); } });
    while (!slots.isEmpty() && slots.get(slots.size() - 1) == null) {
      slots.remove(slots.size() - 1);
    }
    return slots;
  }

  /** Whether the mix needs a VM started: a slot beyond the sampling ones. */
  public static boolean needsNewVm(List<String> samplingSlots, Map<String, Integer> mix) {
    return of(samplingSlots, mix).size() > samplingSlots.size();
  }

  /** The sampling slots: one per type that has sample tasks, in the order of the bag's first sample of each. */
  public static List<String> sampling(TaskLedger l) {
    return l.tasks.stream().map(t -> t.sampleType).filter(t -> t != null).distinct().toList();
  }
}
