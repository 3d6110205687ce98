package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.CloudException;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the VM terminations Agents ask for into one bulk driver call per Cloud per interval,
 * so deleting a service of 50 agents makes one TerminateInstances, not 50. Requests live only
 * until the next flush: an Agent keeps its finalizer and asks again until its VM is gone, so a
 * restart loses nothing. A VM is asked for once: a request for a VM whose call is under way or
 * succeeded (recorded in the inventory, which then shows it TERMINATING while the cloud still lists
 * it alive) adds nothing; after a call failed nothing is recorded and it is asked for again. The
 * last failed call per Cloud is kept (until one succeeds) so that the Agents waiting on it back off
 * and say why; per-Cloud entries go with their Cloud.
 */
public final class TerminationBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TerminationBatcher.class);

  private final DriverRegistry drivers;
  private final CloudInventory inventory;
  private final VmMetrics metrics;
  private final Map<String, Set<String>> pending = new ConcurrentHashMap<>();
  /** The VMs of the call under way per Cloud (taken from pending under the same key's lock). */
  private final Map<String, Set<String>> sending = new ConcurrentHashMap<>();
  private final Map<String, Cloud> clouds = new ConcurrentHashMap<>();
  private final Map<String, CloudException> failures = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vm-termination-batcher");
    t.setDaemon(true);
    return t;
  });

  public TerminationBatcher(DriverRegistry drivers, CloudInventory inventory, VmMetrics metrics, Duration interval) {
    this.drivers = drivers;
    this.inventory = inventory;
    this.metrics = metrics;
    flusher.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for the VMs to be terminated with the next bulk call to their Cloud. */
  public void request(Cloud cloud, Collection<String> instanceIds) {
    String name = cloud.getMetadata().getName();
    clouds.put(name, cloud);
    pending.compute(name, (n, ids) -> {
      Set<String> all = ids == null ? new LinkedHashSet<>() : ids;
      Set<String> busy = sending.getOrDefault(n, Set.of());
      // A pass may have read the VM alive before our call for it went out: asked for once.
      instanceIds.stream().filter(id -> !busy.contains(id) && !inventory.terminationRecorded(cloud, id))
          .forEach(all::add);
      return all.isEmpty() ? null : all;
    });
  }

  /** Why the last bulk call to the Cloud failed, while no later one succeeded. */
  public Optional<CloudException> failure(Cloud cloud) {
    return Optional.ofNullable(failures.get(cloud.getMetadata().getName()));
  }

  /** Drops what is kept about a Cloud that is gone. */
  public void forget(String cloudName) {
    pending.remove(cloudName);
    sending.remove(cloudName);
    clouds.remove(cloudName);
    failures.remove(cloudName);
  }

  /** Sends every pending request, one driver call per Cloud (the flusher thread; tests call it directly). */
  public void flush() {
    for (String name : List.copyOf(pending.keySet())) {
      Set<String> taken = take(name);
      if (taken == null || taken.isEmpty()) {
        continue;
      }
      try {
        Cloud cloud = clouds.get(name);
        if (cloud == null) {
          continue;
        }
        List<String> ids = new ArrayList<>(taken);
        try {
          drivers.forCloud(cloud).terminate(ids);
          // Recorded before the VMs leave sending: no moment in which a pass could ask for them again.
          inventory.recordTerminated(cloud, ids);
          metrics.terminated(name, ids.size());
          failures.remove(name);
        } catch (CloudException | IllegalStateException e) {
          // Not recorded: the Agents ask again on their next pass, after a delay that grows while this lasts.
          LOG.warn("Cloud {}: terminating {} VM(s) failed: {}", name, ids.size(), e.getMessage());
          // The cause's reason is kept: a throttled call is retried sooner than a broken one.
          failures.put(name, new CloudException(e instanceof CloudException c ? c.reason() : "TerminateFailed",
              "terminating " + ids.size() + " VM(s) failed: " + e.getMessage(), true));
        }
      } finally {
        sending.remove(name);
      }
    }
  }

  /** The Cloud's pending VMs, moved to sending in one step (request cannot slip between the two). */
  private Set<String> take(String name) {
    var taken = new java.util.concurrent.atomic.AtomicReference<Set<String>>();
    pending.computeIfPresent(name, (n, ids) -> {
      sending.put(n, ids);
      taken.set(ids);
      return null;
    });
    return taken.get();
  }

  @Override
  public void close() {
    flusher.shutdownNow();
  }
}
