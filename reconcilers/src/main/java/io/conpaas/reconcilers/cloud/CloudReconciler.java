package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudStatus;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.model.OrphanVms;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each Cloud's status true (ConPaaS's director view of its IaaS): Ready from a cheap
 * credentials/endpoint check, the number of live VMs from the one bulk list, and, on that same
 * list, the sweep that terminates VMs tagged as ours that belong to no Agent.
 */
@ControllerConfiguration(name = "cloud")
public final class CloudReconciler implements Reconciler<Cloud> {
  private static final Logger LOG = LoggerFactory.getLogger(CloudReconciler.class);
  private static final Duration NOT_READY_RESYNC = Duration.ofSeconds(15);

  private final DriverRegistry drivers;
  private final CloudInventory inventory;
  private final CachedResources<Agent> agents;
  private final Duration orphanGrace;
  private final Duration resync;
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;

  public CloudReconciler(DriverRegistry drivers, CloudInventory inventory, CachedResources<Agent> agents,
      Duration orphanGrace, Duration resync, VmMetrics metrics, EventRecorder events, Clock clock) {
    this.drivers = drivers;
    this.inventory = inventory;
    this.agents = agents;
    this.orphanGrace = orphanGrace;
    this.resync = resync;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Cloud> reconcile(Cloud cloud, Context<Cloud> context) {
    String name = cloud.getMetadata().getName();
    Instant now = clock.instant();
    CloudStatus previous = cloud.getStatus();
    CloudStatus status = new CloudStatus();
    boolean ready;
    String reason;
    String message;
    try {
      IaasDriver driver = drivers.forCloud(cloud);
      driver.verify();
      inventory.invalidate(cloud);
      List<VmObservation> vms = inventory.list(cloud);
      sweepOrphans(cloud, driver, vms, now);
      int live = (int) vms.stream().filter(vm -> vm.state() != VmState.TERMINATING).count();
      status.setInstances(live);
      ready = true;
      reason = "Verified";
      message = live + " instances" + (cloud.getSpec().getMaxInstances() == null ? ""
          : " of at most " + cloud.getSpec().getMaxInstances());
    } catch (CloudException e) {
      ready = false;
      reason = e.reason();
      message = e.getMessage();
      status.setInstances(previous == null ? null : previous.getInstances());
    }
    Long gen = cloud.getMetadata().getGeneration();
    status.setConditions(Conditions.list(Conditions.of(previous == null ? null : previous.getConditions(),
        ConditionTypes.READY, ready, reason, message, gen, now)));
    status.setObservedGeneration(gen);
    cloud.setStatus(status);
    return UpdateControl.patchStatus(cloud).rescheduleAfter(ready ? resync : NOT_READY_RESYNC);
  }

  private void sweepOrphans(Cloud cloud, IaasDriver driver, List<VmObservation> vms, Instant now) {
    Set<String> uids = agents.all().stream().map(a -> a.getMetadata().getUid()).collect(Collectors.toSet());
    List<VmObservation> orphans = OrphanVms.find(vms, uids, now, orphanGrace);
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
