package io.conpaas.reconcilers.credits;

import io.conpaas.api.v1alpha1.ChargedVm;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.api.v1alpha1.ServiceCredits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The account's arithmetic, pure: from the last written figures and the VMs the Agents show now,
 * the new figures. A live VM is charged the started hours from its creation to now (or to its
 * release), never fewer than already charged; a VM no longer shown moves its charged hours into its
 * service's released total, once, because the same write drops it from the live list. So the
 * figures survive restarts (they are recomputed from timestamps), are never charged twice, and a
 * deleted service's total stays.
 */
public final class CreditLedger {
  private CreditLedger() {}

  /** The figures after one pass. */
  public record Figures(long credits, long used, List<ServiceCredits> services, List<ChargedVm> vms) {
    public long remaining() {
      return Math.max(0, credits - used);
    }

    /** An hour started that the credits did not cover. */
    public boolean exhausted() {
      return used > credits;
    }

    /** At most 10% of the credits left (and not yet exhausted). */
    public boolean low() {
      return !exhausted() && credits > 0 && remaining() * 10 <= credits;
    }
  }

  public static Figures next(CreditAccountStatus previous, long credits, Collection<VmUse> live, Instant now) {
    Map<String, ChargedVm> charged = new LinkedHashMap<>();
    Map<String, Long> released = new TreeMap<>();
    Map<String, String[]> names = new TreeMap<>();
    if (previous != null) {
      for (ChargedVm vm : nullSafe(previous.getVms())) {
        charged.put(vm.getToken(), vm);
      }
      for (ServiceCredits s : nullSafe(previous.getServices())) {
        String key = key(s.getKind(), s.getName());
        released.put(key, s.getReleased() == null ? 0 : s.getReleased());
        names.put(key, new String[] {s.getKind(), s.getName()});
      }
    }
    List<ChargedVm> vms = new ArrayList<>();
    Map<String, Long> liveHours = new TreeMap<>();
    Map<String, Integer> liveCount = new TreeMap<>();
    for (VmUse vm : live.stream().sorted(Comparator.comparing(VmUse::token)).distinct().toList()) {
      ChargedVm before = charged.remove(vm.token());
      long hours = StartedHours.between(vm.start(), vm.end() != null ? vm.end() : now);
      if (before != null && before.getHours() != null) {
        hours = Math.max(hours, before.getHours());
      }
      String key = key(vm.kind(), vm.service());
      names.putIfAbsent(key, new String[] {vm.kind(), vm.service()});
      liveHours.merge(key, hours, Long::sum);
      liveCount.merge(key, 1, Integer::sum);
      // The first recorded creation time stays: a later read cannot move a VM's start.
      String since = before != null && before.getSince() != null ? before.getSince() : vm.start().toString();
      vms.add(new ChargedVm(vm.token(), vm.kind(), vm.service(), since, hours));
    }
    // What is left was charged before and is gone now: released (or failed) VMs.
    for (ChargedVm gone : charged.values()) {
      String key = key(gone.getKind(), gone.getService());
      names.putIfAbsent(key, new String[] {gone.getKind(), gone.getService()});
      released.merge(key, gone.getHours() == null ? 0 : gone.getHours(), Long::sum);
    }
    List<ServiceCredits> services = new ArrayList<>();
    long used = 0;
    for (Map.Entry<String, String[]> e : names.entrySet()) {
      long rel = released.getOrDefault(e.getKey(), 0L);
      long total = rel + liveHours.getOrDefault(e.getKey(), 0L);
      used += total;
      services.add(new ServiceCredits(e.getValue()[0], e.getValue()[1], total, rel,
          liveCount.getOrDefault(e.getKey(), 0)));
    }
    return new Figures(credits, used, services, vms);
  }

  /** When the next hour of a live, running VM starts (the figures change then), if any runs. */
  public static Optional<Duration> untilNextHour(Figures figures, Collection<VmUse> live, Instant now) {
    Map<String, Long> hours = new TreeMap<>();
    figures.vms().forEach(v -> hours.put(v.getToken(), v.getHours()));
    return live.stream().filter(v -> v.end() == null)
        .map(v -> Duration.between(now, StartedHours.nextHour(v.start(), hours.getOrDefault(v.token(), 1L))))
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .min(Comparator.naturalOrder());
  }

  private static String key(String kind, String name) {
    return (kind == null ? "" : kind) + "/" + name;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
