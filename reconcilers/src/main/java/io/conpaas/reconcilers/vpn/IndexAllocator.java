package io.conpaas.reconcilers.vpn;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stable small-number allocation, pure: owners keep the index they hold; new owners (in the
 * order given, oldest first) get the lowest free index in [first, last]; an index is free again
 * only when its owner is no longer listed. Owners left without an index found the range full.
 */
public final class IndexAllocator {
  private IndexAllocator() {}

  /**
   * owners: every current owner, oldest first; held: the index each owner holds already (owners
   * not listed in owners have gone and free theirs). Returns the index of every owner that has one.
   */
  public static <K> Map<K, Integer> assign(List<K> owners, Map<K, Integer> held, long first, long last) {
    Map<K, Integer> result = new LinkedHashMap<>();
    Set<Integer> used = new HashSet<>();
    for (K owner : owners) {
      Integer index = held.get(owner);
      // Two owners claiming one index (a hand edit): the older keeps it.
      if (index != null && index >= first && index <= last && used.add(index)) {
        result.put(owner, index);
      }
    }
    long next = first;
    for (K owner : owners) {
      if (result.containsKey(owner)) {
        continue;
      }
      while (next <= last && used.contains((int) next)) {
        next++;
      }
      if (next > last) {
        break;
      }
      used.add((int) next);
      result.put(owner, (int) next);
    }
    return result;
  }
}
