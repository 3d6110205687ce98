package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.reconcilers.model.BatchBinding;
import io.conpaas.reconcilers.model.BatchWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Gathers Agents that wait for a VM with the same contextualization needs (Cloud, instance type,
 * service, role, config) into launch batches, and hands each batch's one cloud call to exactly one
 * reconcile. Nothing here is needed after a crash: each Agent records its batch (token, slot) in
 * status before the call, and a batch this process does not know is rebuilt from those records
 * (see {@link #step}). Callers never wait here: every answer that is not final says when to look again.
 */
final class LaunchBatcher {
  /**
   * How often a batch member looks again while the batch confirms or launches: every member polls,
   * so 100 members at 100 ms were 1,000 reconciles a second competing with the launch itself.
   */
  static final Duration POLL = Duration.ofMillis(250);
  /** How long a launch waits for members to record the batch before it goes without the late ones. */
  static final Duration CONFIRM_WAIT = Duration.ofSeconds(5);
  /** Batches untouched this long are forgotten (their members are bound or gone). */
  static final Duration FORGET_AFTER = Duration.ofMinutes(10);

  /** What Agents of one batch must share: the same request apart from who they are. */
  record Key(String cloud, String instanceType, String namespace, String service, String kind, String role,
      String configHash, boolean vpn) {
    static Key of(Agent a) {
      return new Key(a.getSpec().getCloud(), a.getSpec().getInstanceType(), a.getMetadata().getNamespace(),
          a.getMetadata().getLabels() == null ? null : a.getMetadata().getLabels().get(ApiConstants.LABEL_SERVICE),
          a.getSpec().getServiceKind(), a.getSpec().getRole(), ConfigHash.of(a.getSpec().getConfig()),
          a.getSpec().getVpn() != null);
    }
  }

  /** The answer to an Agent without a batch. */
  sealed interface Joined permits Wait, Alone, Member {}

  /** The batch is still open: look again after the delay. */
  record Wait(Duration delay) implements Joined, Step {}

  /** The Agent came alone: start its VM the ordinary way. */
  record Alone() implements Joined {}

  /** The Agent is in a batch: record token and slot, then come back. */
  record Member(String token, int slot, int size) implements Joined {}

  /** The answer to an Agent whose batch is recorded. */
  sealed interface Step permits Wait, Launch, Bound, Missed, Failed {}

  /** This reconcile makes the batch's cloud call for these members (then reports {@link #launched}). */
  record Launch(String token, List<BatchBinding.Member> members) implements Step {}

  /** The Agent's VM. */
  record Bound(VmObservation vm) implements Step {}

  /** The batch has no VM for the Agent: it forgets the batch and joins a new one. */
  record Missed(String why) implements Step {}

  /** The batch's call failed; it is repeated with the same token after the delay. */
  record Failed(CloudException error, Duration delay) implements Step {}

  private static final class Forming {
    final Instant opened;
    Instant lastJoin;
    final Set<String> members = new LinkedHashSet<>();

    Forming(Instant now) {
      this.opened = now;
      this.lastJoin = now;
    }
  }

  private static final class Sealed {
    final String token;
    final Map<String, Integer> slots;
    final Instant sealedAt;
    final boolean recovered;
    final Map<String, Integer> confirmed = new LinkedHashMap<>();
    Instant touched;
    boolean launching;
    BatchBinding.Result outcome;
    CloudException error;
    Instant retryAt;

    Sealed(String token, Map<String, Integer> slots, Instant now, boolean recovered) {
      this.token = token;
      this.slots = slots;
      this.sealedAt = now;
      this.touched = now;
      this.recovered = recovered;
    }
  }

  private final BatchWindow window;
  private final Clock clock;
  private final Map<Key, Forming> forming = new HashMap<>();
  private final Map<String, Sealed> byToken = new HashMap<>();
  private final Map<String, Sealed> byMember = new HashMap<>();

  LaunchBatcher(BatchWindow window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  /**
   * An Agent about to need a VM (it records its client token first): it joins the forming batch
   * now, so the time its token write takes (or a conflict's retry) does not split the batch. Its
   * slot is confirmed only by its recorded batch, as for any member.
   */
  synchronized void register(Agent agent) {
    Instant now = clock.instant();
    String uid = agent.getMetadata().getUid();
    if (!byMember.containsKey(uid)) {
      Forming f = forming.computeIfAbsent(Key.of(agent), k -> new Forming(now));
      if (f.members.add(uid)) {
        f.lastJoin = now;
      }
    }
  }

  /** An Agent that needs a VM on a Cloud whose driver starts up to maxBatch at once. */
  synchronized Joined join(Agent agent, int maxBatch) {
    Instant now = clock.instant();
    forget(now);
    String uid = agent.getMetadata().getUid();
    Sealed mine = byMember.get(uid);
    if (mine != null) {
      // Sealed before, but its record did not reach status yet (or the write failed): the same answer.
      return new Member(mine.token, mine.slots.get(uid), mine.slots.size());
    }
    Key key = Key.of(agent);
    Forming f = forming.computeIfAbsent(key, k -> new Forming(now));
    if (f.members.add(uid)) {
      f.lastJoin = now;
    }
    Optional<Duration> open = window.openFor(f.opened, f.lastJoin, f.members.size(), maxBatch, now);
    if (open.isPresent()) {
      return new Wait(open.get());
    }
    forming.remove(key);
    if (f.members.size() == 1) {
      return new Alone();
    }
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (String member : f.members) {
      slots.put(member, slots.size());
    }
    // At most 64 characters (EC2 ClientToken); random, since nothing else may ever reuse it.
    Sealed sealed = new Sealed("cpb-" + UUID.randomUUID(), slots, now, false);
    byToken.put(sealed.token, sealed);
    slots.keySet().forEach(m -> byMember.put(m, sealed));
    return new Member(sealed.token, slots.get(uid), slots.size());
  }

  /**
   * An Agent whose status records batch token and slot and no VM yet. recordedMembers lists every
   * Agent's (uid, slot) recording this token without a VM, read from the cache: it is the member list
   * of a batch this process did not form (formed before a restart).
   */
  synchronized Step step(Agent agent, Supplier<List<BatchBinding.Member>> recordedMembers) {
    Instant now = clock.instant();
    String uid = agent.getMetadata().getUid();
    String token = agent.getStatus().getLaunchBatch().getToken();
    int slot = agent.getStatus().getLaunchBatch().getSlot() == null ? 0 : agent.getStatus().getLaunchBatch().getSlot();
    Sealed s = byToken.computeIfAbsent(token, t -> new Sealed(t, Map.of(), now, true));
    s.touched = now;
    if (s.outcome != null) {
      byMember.remove(uid);
      VmObservation vm = s.outcome.bound().get(uid);
      return vm != null ? new Bound(vm) : new Missed("its launch batch started " + s.outcome.bound().size()
          + " VM(s) for " + (s.outcome.bound().size() + s.outcome.missed().size()) + " Agent(s) and none for this one");
    }
    if (s.error != null && now.isBefore(s.retryAt)) {
      return new Failed(s.error, Duration.between(now, s.retryAt));
    }
    if (s.launching) {
      return new Wait(POLL);
    }
    s.confirmed.put(uid, slot);
    if (!s.recovered && !s.confirmed.keySet().containsAll(s.slots.keySet())) {
      // A member whose record the cache shows has recorded it: its own next pass may be queued behind
      // hundreds of others (bench-scale, 1,000 Agents: 741 of 784 batches launched one member each
      // when only members' own passes confirmed within CONFIRM_WAIT).
      recordedMembers.get().stream().filter(m -> s.slots.containsKey(m.uid()))
          .forEach(m -> s.confirmed.putIfAbsent(m.uid(), m.slot()));
    }
    boolean ready = s.recovered || s.confirmed.keySet().containsAll(s.slots.keySet())
        || !now.isBefore(s.sealedAt.plus(CONFIRM_WAIT));
    if (!ready) {
      return new Wait(POLL);
    }
    List<BatchBinding.Member> members = new ArrayList<>();
    if (s.recovered) {
      members.addAll(recordedMembers.get());
      if (members.stream().noneMatch(m -> m.uid().equals(uid))) {
        members.add(new BatchBinding.Member(uid, slot));
      }
    } else {
      s.confirmed.forEach((m, sl) -> members.add(new BatchBinding.Member(m, sl)));
    }
    members.forEach(m -> s.confirmed.put(m.uid(), m.slot()));
    s.launching = true;
    s.error = null;
    return new Launch(token, List.copyOf(members));
  }

  /** The batch's call returned and its VMs are bound (in memory; each member records its own). */
  synchronized void launched(String token, BatchBinding.Result outcome) {
    Sealed s = byToken.get(token);
    if (s != null) {
      s.outcome = outcome;
      s.launching = false;
    }
  }

  /**
   * The batch's call failed. A spent token (the cloud refuses it for new VMs) ends the batch: every
   * member joins a new one. Other errors are retried with the same token after retry.
   */
  synchronized void failed(String token, CloudException error, Duration retry) {
    Sealed s = byToken.get(token);
    if (s == null) {
      return;
    }
    s.launching = false;
    if ("TokenSpent".equals(error.reason())) {
      s.outcome = new BatchBinding.Result(Map.of(), List.copyOf(s.confirmed.keySet()), List.of());
    } else {
      s.error = error;
      s.retryAt = clock.instant().plus(retry);
    }
  }

  /** Batches known in memory (for tests). */
  synchronized int known() {
    return byToken.size();
  }

  private void forget(Instant now) {
    byToken.values().removeIf(s -> {
      boolean old = !s.launching && s.touched.plus(FORGET_AFTER).isBefore(now);
      if (old) {
        byMember.values().removeIf(m -> m == s);
      }
      return old;
    });
  }
}
