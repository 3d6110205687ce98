package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudStatus;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.model.ReconcileRequest;
import io.conpaas.reconcilers.model.MassUnreachability;
import io.conpaas.reconcilers.model.OrphanVms;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each Cloud's status true (ConPaaS's director view of its IaaS): Ready from a cheap
 * credentials/endpoint check, the number of live VMs from the one bulk list, on that same list the
 * sweep that terminates VMs tagged as ours that belong to no Agent, and AgentsUnreachable when so
 * many of its agents went silent at once that none is replaced. Its finalizer keeps a deleted
 * Cloud until no Agent uses it and none of our VMs is left on it, so no VM is stranded. A
 * namespace-scoped operator looks only after the Clouds its namespaces use, and of a Cloud shared
 * with another install only one of them writes the status ({@link CloudScope}).
 */
@ControllerConfiguration(name = "cloud")
public final class CloudReconciler implements Reconciler<Cloud>, Cleaner<Cloud> {
  private static final Logger LOG = LoggerFactory.getLogger(CloudReconciler.class);
  private static final Duration NOT_READY_RESYNC = Duration.ofSeconds(15);
  /** How often the count of silent agents is refreshed while some are silent. */
  private static final Duration SILENT_RESYNC = Duration.ofSeconds(2);
  private static final Duration DELETION_POLL = Duration.ofSeconds(2);
  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(30);

  private final DriverRegistry drivers;
  private final CloudInventory inventory;
  private final TerminationBatcher terminations;
  private final CachedResources<Agent> agents;
  private final OperatorSettings settings;
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;

  public CloudReconciler(DriverRegistry drivers, CloudInventory inventory, TerminationBatcher terminations,
      CachedResources<Agent> agents, OperatorSettings settings, VmMetrics metrics, EventRecorder events, Clock clock) {
    this.drivers = drivers;
    this.inventory = inventory;
    this.terminations = terminations;
    this.agents = agents;
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Cloud> reconcile(Cloud cloud, Context<Cloud> context) {
    List<Agent> allAgents = agents.all();
    boolean tends;
    try {
      tends = CloudScope.tends(cloud, settings.namespaces(), allAgents, () -> applications(context));
    } catch (KubernetesClientException e) {
      // Unknown whether it is ours: write nothing, look again soon.
      LOG.info("Cloud {}: cannot list this operator's Applications: {}", cloud.getMetadata().getName(),
          e.getMessage());
      return UpdateControl.<Cloud>noUpdate().rescheduleAfter(NOT_READY_RESYNC);
    }
    if (!tends) {
      // Another install's Cloud (or nobody's yet): no driver, no list, no status write. Looked at
      // again each resync, as an Agent or Application of ours may start using it.
      LOG.debug("Cloud {}: used by none of this operator's namespaces; leaving it alone",
          cloud.getMetadata().getName());
      return UpdateControl.<Cloud>noUpdate().rescheduleAfter(settings.cloudResync());
    }
    boolean writer = CloudScope.writesStatus(cloud, settings.namespaces(), allAgents);
    Instant now = clock.instant();
    CloudStatus previous = cloud.getStatus();
    String before = io.conpaas.reconcilers.UnchangedStatus.snapshot(previous);
    CloudStatus status = new CloudStatus();
    boolean ready;
    String reason;
    String message;
    try {
      IaasDriver driver = drivers.forCloud(cloud);
      driver.verify();
      // A Cloud added after start whose network overlaps the VPN block: not Ready, naming the overlap.
      var overlap = io.conpaas.reconcilers.vpn.VpnNetworks.overlap(settings.vpn(), driver.underlayNetworks().stream()
          .map(n -> new io.conpaas.reconcilers.vpn.VpnNetworks.InUse(n, "this Cloud's network")).toList());
      if (overlap.isPresent()) {
        throw new CloudException(io.conpaas.reconcilers.vpn.VpnNetworks.OVERLAP_REASON, overlap.get(), false);
      }
      inventory.invalidate(cloud);
      List<VmObservation> vms = inventory.list(cloud);
      sweepOrphans(cloud, driver, vms, now);
      int live = (int) vms.stream().filter(vm -> vm.state() != VmState.TERMINATING).count();
      status.setInstances(live);
      ready = true;
      reason = "Verified";
      message = live + " instances" + (cloud.getSpec().getMaxInstances() == null ? ""
          : " of at most " + cloud.getSpec().getMaxInstances());
      String note = driver.statusNote();
      message = note == null ? message : message + "; " + note;
    } catch (CloudException e) {
      ready = false;
      reason = e.reason();
      message = e.getMessage();
      status.setInstances(previous == null ? null : previous.getInstances());
    }
    Long gen = cloud.getMetadata().getGeneration();
    List<Condition> conditionsBefore = previous == null ? null : previous.getConditions();
    MassUnreachability.Assessment mass = MassUnreachability.assess(cloud.getMetadata().getName(), allAgents,
        settings.agentMaxUnhealthyShare(), settings.agentUnhealthyWindow());
    if (writer) {
      reportTransition(cloud, conditionsBefore, mass);
    }
    status.setConditions(Conditions.list(
        Conditions.of(conditionsBefore, ConditionTypes.READY, ready, reason, message, gen, now),
        unreachableCondition(conditionsBefore, mass, gen, now)));
    status.setObservedGeneration(gen);
    status.setLastReconcileRequest(ReconcileRequest.recorded(cloud,
        previous == null ? null : previous.getLastReconcileRequest()));
    Duration next = ready ? settings.cloudResync() : NOT_READY_RESYNC;
    // While agents are silent the condition follows them closely (the count is read from the cache).
    if (mass.unreachable() > 0 && SILENT_RESYNC.compareTo(next) < 0) {
      next = SILENT_RESYNC;
    }
    if (!writer) {
      // A Cloud shared with another install whose namespace comes first writes it (see CloudScope):
      // this pass only swept our own orphans.
      return UpdateControl.<Cloud>noUpdate().rescheduleAfter(next);
    }
    cloud.setStatus(status);
    // An unchanged status costs no write (each Cloud was written every resync).
    return io.conpaas.reconcilers.SoleWriterStatus.write(cloud, context,
        io.conpaas.reconcilers.UnchangedStatus.skipIfUnchanged(before, status, UpdateControl.patchStatus(cloud)))
        .rescheduleAfter(next);
  }

  /** The Applications of this operator's namespaces (only asked for open Clouds no Agent of ours uses). */
  private List<io.conpaas.api.v1alpha1.Application> applications(Context<Cloud> context) {
    List<io.conpaas.api.v1alpha1.Application> apps = new java.util.ArrayList<>();
    for (String ns : settings.namespaces()) {
      apps.addAll(context.getClient().resources(io.conpaas.api.v1alpha1.Application.class).inNamespace(ns).list()
          .getItems());
    }
    return apps;
  }

  /**
   * A deleted Cloud waits for every Agent that uses it (each releases its own VM), then
   * terminates what is left of ours on it (VMs no Agent claims) and goes once the cloud lists none.
   */
  @Override
  public DeleteControl cleanup(Cloud cloud, Context<Cloud> context) {
    String name = cloud.getMetadata().getName();
    List<Agent> using = agents.all().stream()
        .filter(a -> a.getSpec() != null && name.equals(a.getSpec().getCloud())).toList();
    if (!using.isEmpty()) {
      return waitFor(cloud, context, "waiting for " + using.size() + " Agent(s) to release their VMs (e.g. "
          + using.get(0).getMetadata().getNamespace() + "/" + using.get(0).getMetadata().getName()
          + "); delete the services on this Cloud to let it go", DELETION_POLL);
    }
    try {
      inventory.invalidate(cloud);
      // VMs of Agents on other Clouds may show up in this list (two Clouds on one account): not
      // this Cloud's; what no Agent claims is left over here and goes with it.
      Set<String> uids = agents.all().stream().map(a -> a.getMetadata().getUid()).collect(Collectors.toSet());
      List<VmObservation> leftover = OrphanVms.inScope(inventory.list(cloud), settings.namespaces()).stream()
          .filter(vm -> !uids.contains(vm.tags().getOrDefault(VmTags.AGENT_UID, ""))).toList();
      if (leftover.isEmpty()) {
        terminations.forget(name);
        drivers.forget(name);
        inventory.forget(name);
        LOG.info("Cloud {}: no Agent uses it and no VM of ours is left; releasing it", name);
        return DeleteControl.defaultDelete();
      }
      // A short grace still: an Agent created a moment ago may not be in the cache yet.
      List<String> live = OrphanVms.find(leftover, uids, clock.instant(), LEFTOVER_GRACE).stream()
          .map(VmObservation::instanceId).toList();
      if (!live.isEmpty()) {
        drivers.forCloud(cloud).terminate(live);
        inventory.recordTerminated(cloud, live);
        metrics.orphansTerminated(name, live.size());
        events.normal(cloud, "VmsReleased", "terminating " + live.size() + " VM(s) no Agent claims before the "
            + "Cloud goes: " + String.join(", ", live));
      }
      return waitFor(cloud, context, "waiting for " + leftover.size() + " VM(s) no Agent claims to terminate "
          + "before the Cloud goes", DELETION_POLL);
    } catch (CloudException e) {
      return waitFor(cloud, context, "cannot list or release this Cloud's VMs: " + e.reason() + ": "
          + e.getMessage() + "; retrying (removing the finalizer would abandon them)", NOT_READY_RESYNC);
    }
  }

  /** Keeps the finalizer and says why in Ready (and an Event when the reason changes). */
  private DeleteControl waitFor(Cloud cloud, Context<Cloud> context, String why, Duration next) {
    CloudStatus previous = cloud.getStatus() == null ? new CloudStatus() : cloud.getStatus();
    boolean changed = previous.getConditions() == null || previous.getConditions().stream()
        .noneMatch(c -> ConditionTypes.READY.equals(c.getType()) && Objects.equals(why, c.getMessage()));
    if (changed) {
      LOG.info("Cloud {}: {}", cloud.getMetadata().getName(), why);
      events.normal(cloud, "DeletionWaiting", why);
      CloudStatus status = new CloudStatus();
      status.setInstances(previous.getInstances());
      status.setObservedGeneration(previous.getObservedGeneration());
      Instant now = clock.instant();
      List<Condition> kept = previous.getConditions() == null ? List.of() : previous.getConditions().stream()
          .filter(c -> !ConditionTypes.READY.equals(c.getType())).toList();
      List<Condition> conditions = Conditions.list(Conditions.of(previous.getConditions(), ConditionTypes.READY,
          false, "Deleting", why, cloud.getMetadata().getGeneration(), now));
      conditions.addAll(kept);
      status.setConditions(conditions);
      Cloud patch = new Cloud();
      patch.setMetadata(new ObjectMetaBuilder().withName(cloud.getMetadata().getName()).build());
      patch.setStatus(status);
      try {
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(cloud, patch, context);
      } catch (KubernetesClientException e) {
        LOG.info("Cloud {}: could not record why its deletion waits: {}", cloud.getMetadata().getName(),
            e.getMessage());
      }
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(next);
  }

  private static Condition unreachableCondition(List<Condition> before, MassUnreachability.Assessment mass, Long gen,
      Instant now) {
    return Conditions.of(before, ConditionTypes.AGENTS_UNREACHABLE, mass.held(),
        mass.held() ? "SuspectOperatorNetwork" : mass.unreachable() > 0 ? "FewUnreachable" : "AllAnswer",
        mass.message(), gen, now);
  }

  /** A Warning when the Cloud starts holding replacements, a Normal event when it stops. */
  private void reportTransition(Cloud cloud, List<Condition> before, MassUnreachability.Assessment mass) {
    boolean was = Conditions.isTrue(before, ConditionTypes.AGENTS_UNREACHABLE);
    if (mass.held() && !was) {
      LOG.warn("Cloud {}: {}", cloud.getMetadata().getName(), mass.message());
      events.warning(cloud, "AgentsUnreachable", mass.message());
    } else if (!mass.held() && was) {
      events.normal(cloud, "AgentsReachable", "no longer holding replacements: " + mass.message());
    }
  }

  private void sweepOrphans(Cloud cloud, IaasDriver driver, List<VmObservation> vms, Instant now) {
    Set<String> uids = agents.all().stream().map(a -> a.getMetadata().getUid()).collect(Collectors.toSet());
    // Batch VMs carry no Agent uid until tagged after binding: claimed by the binding or the waiting batch.
    Set<String> bound = agents.all().stream().filter(a -> a.getStatus() != null && a.getStatus().getInstanceId() != null)
        .map(a -> a.getStatus().getInstanceId()).collect(Collectors.toSet());
    Set<String> pending = agents.all().stream().filter(a -> a.getStatus() != null
            && a.getStatus().getLaunchBatch() != null && a.getStatus().getInstanceId() == null)
        .map(a -> a.getStatus().getLaunchBatch().getToken()).collect(Collectors.toSet());
    List<VmObservation> orphans = OrphanVms.find(OrphanVms.inScope(vms, settings.namespaces()), uids, bound, pending,
        now, settings.orphanGracePeriod());
    if (orphans.isEmpty()) {
      return;
    }
    List<String> ids = orphans.stream().map(VmObservation::instanceId).toList();
    LOG.warn("Cloud {}: terminating {} VM(s) that belong to no Agent: {}", cloud.getMetadata().getName(),
        ids.size(), ids);
    driver.terminate(ids);
    inventory.recordTerminated(cloud, ids);
    metrics.orphansTerminated(cloud.getMetadata().getName(), ids.size());
    events.warning(cloud, "OrphanVmsTerminated", "terminated " + ids.size()
        + " VM(s) tagged for this operator that belong to no Agent: " + String.join(", ", ids));
  }
}
