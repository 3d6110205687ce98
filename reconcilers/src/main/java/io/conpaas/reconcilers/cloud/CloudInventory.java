package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.VmObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VMs of each Cloud, read with one bulk list call and shared by every Agent for maxAge, so
 * the cloud is asked once per Cloud per resync, not once per VM. It is only a cache of what the
 * cloud says: losing it loses nothing.
 */
public final class CloudInventory {
  private record Snapshot(Instant takenAt, List<VmObservation> vms) {}

  private final DriverRegistry drivers;
  private final String clusterId;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Object> refreshLocks = new ConcurrentHashMap<>();

  public CloudInventory(DriverRegistry drivers, String clusterId, Duration maxAge, Clock clock) {
    this.drivers = drivers;
    this.clusterId = clusterId;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /**
   * This operator's VMs on the Cloud, at most maxAge old. One caller refreshes a stale snapshot
   * while the others wait for it, so many Agents reconciling at once still make one list call.
   */
  public List<VmObservation> list(Cloud cloud) {
    String name = cloud.getMetadata().getName();
    Snapshot s = snapshots.get(name);
    if (fresh(s)) {
      return s.vms;
    }
    synchronized (refreshLocks.computeIfAbsent(name, n -> new Object())) {
      s = snapshots.get(name);
      if (!fresh(s)) {
        List<VmObservation> vms = drivers.forCloud(cloud).list(clusterId);
        // Aged from when the answer arrived: a slow list must not make the next one start at once.
        s = new Snapshot(clock.instant(), vms);
        snapshots.put(name, s);
      }
      return s.vms;
    }
  }

  private boolean fresh(Snapshot s) {
    return s != null && !s.takenAt.plus(maxAge).isBefore(clock.instant());
  }

  /** The VM with this instance id, if the Cloud lists it. */
  public Optional<VmObservation> find(Cloud cloud, String instanceId) {
    return list(cloud).stream().filter(vm -> Objects.equals(vm.instanceId(), instanceId)).findFirst();
  }

  /** Adds a VM we just created to the current snapshot, so counts include it before the next list. */
  public void recordCreated(Cloud cloud, VmObservation vm) {
    snapshots.computeIfPresent(cloud.getMetadata().getName(), (name, s) -> {
      List<VmObservation> vms = new java.util.ArrayList<>(s.vms);
      vms.removeIf(o -> Objects.equals(o.instanceId(), vm.instanceId()));
      vms.add(vm);
      return new Snapshot(s.takenAt, List.copyOf(vms));
    });
  }

  /** Forgets the Cloud's snapshot after we changed its VMs, so the next read is fresh. */
  public void invalidate(Cloud cloud) {
    snapshots.remove(cloud.getMetadata().getName());
  }
}
