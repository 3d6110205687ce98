package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The VMs of each Cloud, read with one bulk list call and shared by every Agent for maxAge, so
 * the cloud is asked once per Cloud per resync, not once per VM. It is only a cache of what the
 * cloud says: losing it loses nothing.
 */
public final class CloudInventory {
  /** A list answer: asked at askedAt (what it can know), answered at takenAt (how old it is). */
  private record Snapshot(Instant askedAt, Instant takenAt, List<VmObservation> vms,
      Map<String, VmObservation> byId) {
    /** Indexed once per list answer: every Agent's pass looks its VM up, so a scan per lookup is O(n^2). */
    Snapshot(Instant askedAt, Instant takenAt, List<VmObservation> vms) {
      this(askedAt, takenAt, vms, index(vms));
    }

    private static Map<String, VmObservation> index(List<VmObservation> vms) {
      Map<String, VmObservation> byId = new java.util.HashMap<>();
      for (VmObservation vm : vms) {
        if (vm.instanceId() != null) {
          byId.putIfAbsent(vm.instanceId(), vm);
        }
      }
      return byId;
    }
  }

  /** A VM this operator created, and when: a list asked before that cannot contain it. */
  private record Created(Instant at, VmObservation vm) {}

  /** How long after a create a list may still not show the VM. */
  static final Duration LIST_CONSISTENCY = Duration.ofSeconds(20);
  /** How long a caller with nothing cached waits for another caller's list (the EC2 client gives up at 90 s). */
  static final Duration DEFAULT_WAIT_LIMIT = Duration.ofSeconds(100);

  private final DriverRegistry drivers;
  private final String clusterId;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Created>> created = new ConcurrentHashMap<>();
  /** VMs whose terminate call succeeded, and when: a list may show them alive for a while yet. */
  private final Map<String, Map<String, Instant>> terminated = new ConcurrentHashMap<>();
  /** The list call under way per Cloud: later callers share it instead of making their own. */
  private final Map<String, CompletableFuture<Snapshot>> inFlight = new ConcurrentHashMap<>();
  /** When each Cloud's snapshot was last invalidated: a list asked before that must not be kept. */
  private final Map<String, Instant> invalidatedAt = new ConcurrentHashMap<>();
  private final Duration waitLimit;

  public CloudInventory(DriverRegistry drivers, String clusterId, Duration maxAge, Clock clock) {
    this(drivers, clusterId, maxAge, clock, DEFAULT_WAIT_LIMIT);
  }

  CloudInventory(DriverRegistry drivers, String clusterId, Duration maxAge, Clock clock, Duration waitLimit) {
    this.drivers = drivers;
    this.clusterId = clusterId;
    this.maxAge = maxAge;
    this.clock = clock;
    this.waitLimit = waitLimit;
  }

  /**
   * This operator's VMs on the Cloud, at most maxAge old, plus the VMs it created after that list
   * was asked for. The first caller to find the snapshot stale makes the list call, holding no
   * lock; callers meanwhile share its answer (one list call however many Agents reconcile), and
   * those that have a snapshot, if a stale one, get it at once instead of queueing behind a
   * slow cloud. Only a caller with nothing cached waits, at most waitLimit.
   */
  public List<VmObservation> list(Cloud cloud) {
    String name = cloud.getMetadata().getName();
    Snapshot s = current(cloud, name);
    return withTerminations(name, s, withRecentCreates(name, s));
  }

  /** The snapshot to answer from: the cached one while fresh, else a shared list call (see list). */
  private Snapshot current(Cloud cloud, String name) {
    Snapshot s = snapshots.get(name);
    if (fresh(s)) {
      return s;
    }
    CompletableFuture<Snapshot> mine = new CompletableFuture<>();
    CompletableFuture<Snapshot> running = inFlight.putIfAbsent(name, mine);
    if (running == null) {
      return refresh(cloud, name, mine);
    }
    if (s != null) {
      return s;
    }
    return await(name, running);
  }

  private Snapshot refresh(Cloud cloud, String name, CompletableFuture<Snapshot> mine) {
    try {
      Instant asked = clock.instant();
      List<VmObservation> vms = drivers.forCloud(cloud).list(clusterId);
      // Aged from when the answer arrived: a slow list must not make the next one start at once.
      Snapshot s = new Snapshot(asked, clock.instant(), vms);
      Instant invalidated = invalidatedAt.get(name);
      if (inFlight.get(name) == mine && (invalidated == null || !invalidated.isAfter(asked))) {
        // A list asked before we changed the Cloud's VMs answers this caller, but is not kept;
        // nor is one of a Cloud forgotten meanwhile.
        snapshots.put(name, s);
      }
      mine.complete(s);
      return s;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(name, mine);
    }
  }

  private Snapshot await(String name, CompletableFuture<Snapshot> running) {
    try {
      return running.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CloudException("ListFailed", "listing the VMs of Cloud " + name + " failed: " + e.getCause(), true,
          e.getCause());
    } catch (TimeoutException e) {
      throw new CloudException("ListTimeout", "listing the VMs of Cloud " + name + " has not answered within "
          + waitLimit.toSeconds() + " s", true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException("Interrupted", "interrupted while waiting for the VM list of Cloud " + name, true, e);
    }
  }

  private List<VmObservation> withRecentCreates(String cloud, Snapshot s) {
    Map<String, Created> recent = created.get(cloud);
    if (recent == null || recent.isEmpty()) {
      return s.vms;
    }
    // A create well before the list was asked for is settled: the list shows the VM, or it is
    // really gone. "Well before": cloud lists are eventually consistent (EC2's for seconds).
    recent.values().removeIf(c -> c.at.plus(LIST_CONSISTENCY).isBefore(s.askedAt));
    List<VmObservation> missing = new ArrayList<>();
    for (Created c : recent.values()) {
      if (!s.byId.containsKey(c.vm.instanceId())) {
        missing.add(c.vm);
      }
    }
    if (missing.isEmpty()) {
      return s.vms;
    }
    List<VmObservation> vms = new ArrayList<>(s.vms.size() + missing.size());
    vms.addAll(s.vms);
    vms.addAll(missing);
    return List.copyOf(vms);
  }

  /**
   * The VMs whose terminate call we made recently show as TERMINATING whatever the answer says: a
   * list asked before the call (or a cloud still catching up) must not make them look alive, or every
   * pass until the cloud catches up would ask to terminate them again. A mark goes after
   * LIST_CONSISTENCY (a cloud that still lists the VM alive then is asked again); not when a list
   * stops showing the VM, since a pass that read an older list may still be about to ask.
   */
  private List<VmObservation> withTerminations(String cloud, Snapshot s, List<VmObservation> vms) {
    Map<String, Instant> marks = terminated.get(cloud);
    if (marks == null || marks.isEmpty()) {
      return vms;
    }
    Instant now = clock.instant();
    marks.values().removeIf(at -> at.plus(LIST_CONSISTENCY).isBefore(now));
    if (marks.isEmpty()) {
      return vms;
    }
    List<VmObservation> out = new ArrayList<>(vms.size());
    for (VmObservation vm : vms) {
      out.add(marks.containsKey(vm.instanceId()) ? terminating(vm) : vm);
    }
    return List.copyOf(out);
  }

  private static VmObservation terminating(VmObservation vm) {
    if (vm.state() == io.conpaas.iaas.VmState.TERMINATING) {
      return vm;
    }
    return new VmObservation(vm.instanceId(), vm.clientToken(), vm.name(), vm.tags(),
        io.conpaas.iaas.VmState.TERMINATING, vm.publicAddress(), vm.privateAddress(), vm.agentEndpoint(),
        vm.createdAt(), "terminate requested by this operator", vm.permanentFailure());
  }

  private boolean fresh(Snapshot s) {
    return s != null && !s.takenAt.plus(maxAge).isBefore(clock.instant());
  }

  /** The VM with this instance id, if the Cloud lists it. */
  public Optional<VmObservation> find(Cloud cloud, String instanceId) {
    // By index, not by scanning list(cloud): one lookup per Agent pass stays O(1) with 10,000 VMs.
    String name = cloud.getMetadata().getName();
    Snapshot s = current(cloud, name);
    VmObservation vm = s.byId.get(instanceId);
    if (vm != null) {
      return Optional.of(terminationRecorded(cloud, instanceId) ? terminating(vm) : vm);
    }
    Map<String, Created> recent = created.get(name);
    Created c = recent == null || instanceId == null ? null : recent.get(instanceId);
    return c == null || c.at.plus(LIST_CONSISTENCY).isBefore(s.askedAt) ? Optional.empty() : Optional.of(c.vm);
  }

  /**
   * Remembers a VM we just created until a list asked after its creation has answered, so a list
   * that was already under way cannot make it look gone (or make a capped Cloud look emptier).
   */
  public void recordCreated(Cloud cloud, VmObservation vm) {
    created.computeIfAbsent(cloud.getMetadata().getName(), n -> new ConcurrentHashMap<>())
        .put(vm.instanceId(), new Created(clock.instant(), vm));
  }

  /**
   * Our terminate call for these VMs succeeded: forget them as recent creates, read the Cloud afresh
   * next time, and show them as TERMINATING until the cloud does (see withTerminations). Only after
   * the call succeeded: a VM whose call failed must still look alive, so it is asked for again.
   */
  public void recordTerminated(Cloud cloud, java.util.Collection<String> instanceIds) {
    String name = cloud.getMetadata().getName();
    Map<String, Created> recent = created.get(name);
    if (recent != null) {
      instanceIds.forEach(recent::remove);
    }
    Instant now = clock.instant();
    Map<String, Instant> marks = terminated.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    marks.values().removeIf(at -> at.plus(LIST_CONSISTENCY).isBefore(now));
    instanceIds.forEach(id -> marks.put(id, now));
    invalidate(cloud);
  }

  /**
   * Whether our terminate call for the VM succeeded within LIST_CONSISTENCY: a pass that read the
   * VM alive from a list asked before the call must not ask for it again (TerminationBatcher).
   */
  public boolean terminationRecorded(Cloud cloud, String instanceId) {
    Map<String, Instant> marks = terminated.get(cloud.getMetadata().getName());
    Instant at = marks == null || instanceId == null ? null : marks.get(instanceId);
    return at != null && !at.plus(LIST_CONSISTENCY).isBefore(clock.instant());
  }

  /** Forgets the Cloud's snapshot after we changed its VMs, so the next read is fresh. */
  public void invalidate(Cloud cloud) {
    invalidatedAt.put(cloud.getMetadata().getName(), clock.instant());
    snapshots.remove(cloud.getMetadata().getName());
  }

  /** The Cloud is gone: drop everything kept for it (the maps must not grow with every Cloud ever seen). */
  public void forget(String cloudName) {
    snapshots.remove(cloudName);
    created.remove(cloudName);
    terminated.remove(cloudName);
    invalidatedAt.remove(cloudName);
    // An in-flight list finishes on its own; its result is not stored once the entry is gone.
    inFlight.remove(cloudName);
  }

  /** How many Clouds this inventory keeps anything for (tests check forget). */
  int cloudsKept() {
    java.util.Set<String> names = new java.util.HashSet<>(snapshots.keySet());
    names.addAll(created.keySet());
    names.addAll(terminated.keySet());
    names.addAll(invalidatedAt.keySet());
    names.addAll(inFlight.keySet());
    return names.size();
  }
}
