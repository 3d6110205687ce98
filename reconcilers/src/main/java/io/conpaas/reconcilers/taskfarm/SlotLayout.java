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

  /** The execution's slot types for the mix (type -> count), given the sampling slots' types. */
  public static List<String> of(List<String> samplingSlots, Map<String, Integer> mix) {
    Map<String, Integer> left = new LinkedHashMap<>(mix);
    int total = mix.values().stream().mapToInt(Integer::intValue).sum();
    List<String> slots = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String kept = i < samplingSlots.size() ? samplingSlots.get(i) : null;
      if (kept != null && left.getOrDefault(kept, 0) > 0) {
        slots.add(kept);
        left.merge(kept, -1, Integer::sum);
      } else {
        slots.add(null);
      }
    }
    // Slots whose sampling worker the mix cannot use (or new slots) take what is left, in mix order.
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i) == null) {
        String type = left.entrySet().stream().filter(e -> e.getValue() > 0).findFirst().orElseThrow().getKey();
        slots.set(i, type);
        left.merge(type, -1, Integer::sum);
      }
    }
    return slots;
  }

  /** Whether the mix needs a VM started: a slot beyond the sampling ones, or one whose type changes. */
  public static boolean needsNewVm(List<String> samplingSlots, Map<String, Integer> mix) {
    List<String> slots = of(samplingSlots, mix);
    for (int i = 0; i < slots.size(); i++) {
      if (i >= samplingSlots.size() || !slots.get(i).equals(samplingSlots.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** The sampling slots: one per type that has sample tasks, in the order of the bag's first sample of each. */
  public static List<String> sampling(TaskLedger l) {
    return l.tasks.stream().map(t -> t.sampleType).filter(t -> t != null).distinct().toList();
  }
}
