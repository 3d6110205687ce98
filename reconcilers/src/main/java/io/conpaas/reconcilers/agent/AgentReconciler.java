package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.CloudException;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.code.CodeArchives;
import io.conpaas.reconcilers.model.ReconcileRequest;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.conpaas.reconcilers.vpn.VpnMembership;
import io.conpaas.reconcilers.vpn.VpnPeerSync;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Owns the one VM of an Agent (ConPaaS create_nodes + check_agent_process), one step per phase:
 * {@link VmLaunch} (Pending, Creating), {@link BootWatch} (Booting), {@link RunningWatch}
 * (Configuring, Running), {@link FailedWatch} (Failed), and {@link VmRelease} on delete.
 */
@ControllerConfiguration(name = "agent")
public final class AgentReconciler implements Reconciler<Agent>, Cleaner<Agent> {
  static final Duration NOW = Duration.ofMillis(1);
  static final Duration BOOT_POLL = Duration.ofMillis(300);
  static final Duration CLOUD_RETRY = Duration.ofSeconds(5);
  private static final Duration CLOUD_REJECTED_RETRY = Duration.ofSeconds(30);

  private final CachedResources<Cloud> clouds;
  private final AgentStatusWriter status;
  private final VmLaunch launch;
  private final BootWatch boot;
  private final RunningWatch running;
  private final FailedWatch failed;
  private final VmRelease release;
  private final VpnPeerSync vpnPeers;

  /**
   * allAgents is the informer cache of every Agent (for the Cloud-wide count of silent agents);
   * caFingerprint names the CA the new VMs' agents trust (recorded in their status).
   */
  public AgentReconciler(CachedResources<Cloud> clouds, CachedResources<Agent> allAgents, DriverRegistry drivers,
      CloudInventory inventory, TerminationBatcher terminations, AgentContextFactory contexts, TlsBootstrap bootstrap,
      String caFingerprint,
      AgentClient agents, CodeArchives code, CredentialSource credentials, OperatorSettings settings,
      VmMetrics metrics, EventRecorder events, Clock clock) {
    this.clouds = clouds;
    this.status = new AgentStatusWriter(clock);
    this.vpnPeers = new VpnPeerSync(agents, allAgents, settings.vpn().udpRelays());
    RoleSync roles = new RoleSync(agents, code, credentials, vpnPeers);
    this.launch = new VmLaunch(drivers, inventory, contexts, caFingerprint, settings, metrics, events, status,
        allAgents, clock);
    this.boot = new BootWatch(inventory, terminations, roles, settings, metrics, events, status, bootstrap);
    this.running = new RunningWatch(inventory, terminations, allAgents, roles, settings, metrics, events, status,
        bootstrap);
    this.failed = new FailedWatch(inventory, roles, events, status);
    this.release = new VmRelease(clouds, inventory, terminations, agents, events, status);
  }

  /** Every other agent of a VPN application is reconciled when one joins, leaves or changes key. */
  @Override
  public java.util.List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, Agent>> prepareEventSources(
      io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<Agent> context) {
    var membership = VpnMembership.eventSource(context);
    vpnPeers.readFrom(membership);
    return java.util.List.of(membership);
  }

  @Override
  public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
    String before = io.conpaas.reconcilers.UnchangedStatus.snapshot(agent.getStatus());
    boolean decidesLaunch = decidesLaunch(agent);
    // pass() first: it gives a new Agent its status object.
    UpdateControl<Agent> passed = pass(agent);
    UpdateControl<Agent> control = io.conpaas.reconcilers.UnchangedStatus.skipIfUnchanged(before,
        agent.getStatus(), passed);
    // Before a VM is bound, a pass records the token or batch that the next one launches with: written
    // from a stale copy, it would replace a VM already recorded by the previous operator process.
    return decidesLaunch ? io.conpaas.reconcilers.SoleWriterStatus.writeGuarded(agent, context, control)
        : io.conpaas.reconcilers.SoleWriterStatus.write(agent, context, control);
  }

  /** Phases whose passes choose a new VM's token or batch (Pending, Deleting: a new token; Creating: a batch). */
  static boolean decidesLaunch(Agent agent) {
    AgentPhase phase = agent.getStatus() == null || agent.getStatus().getPhase() == null ? AgentPhase.Pending
        : agent.getStatus().getPhase();
    return phase == AgentPhase.Pending || phase == AgentPhase.Deleting || phase == AgentPhase.Creating;
  }

  private UpdateControl<Agent> pass(Agent agent) {
    AgentStatus st = agent.getStatus() == null ? new AgentStatus() : agent.getStatus();
    agent.setStatus(st);
    Optional<Cloud> cloud = clouds.get(agent.getSpec().getCloud());
    if (cloud.isEmpty()) {
      return status.degraded(agent, AgentReasons.CLOUD_NOT_FOUND, "Cloud " + agent.getSpec().getCloud()
          + " not found", CLOUD_RETRY);
    }
    AgentPhase phase = st.getPhase() == null ? AgentPhase.Pending : st.getPhase();
    String request = st.getLastReconcileRequest();
    try {
      return recorded(agent, request, switch (phase) {
        case Pending, Deleting -> launch.recordToken(agent, cloud.get());
        case Creating -> launch.createVm(agent, cloud.get());
        case Booting -> {
          launch.labelBatchVm(agent, cloud.get());
          yield boot.awaitHealth(agent, cloud.get()).orElseGet(() -> running.keepRunning(agent, cloud.get()));
        }
        case Configuring, Running -> {
          launch.labelBatchVm(agent, cloud.get());
          yield running.keepRunning(agent, cloud.get());
        }
        case Failed -> failed.watch(agent, cloud.get()).orElseGet(() -> running.keepRunning(agent, cloud.get()));
      });
    } catch (CloudException e) {
      return cloudError(agent, cloud.get(), e);
    }
  }

  /** A step that writes no status still records a new "reconcile now" request (status.lastReconcileRequest). */
  private static UpdateControl<Agent> recorded(Agent agent, String before, UpdateControl<Agent> control) {
    String now = ReconcileRequest.recorded(agent, before);
    if (!control.isNoUpdate() || java.util.Objects.equals(now, before)) {
      return control;
    }
    agent.getStatus().setLastReconcileRequest(now);
    UpdateControl<Agent> patch = UpdateControl.patchStatus(agent);
    return control.getScheduleDelay().map(patch::rescheduleAfter).orElse(patch);
  }

  @Override
  public DeleteControl cleanup(Agent agent, Context<Agent> context) {
    return release.release(agent, context);
  }

  /**
   * A cloud call failed: the Agent keeps its phase and waits. A spent token (the cloud refuses
   * it for a new VM) gets a fresh one; errors only a user can fix are reported as such.
   */
  private UpdateControl<Agent> cloudError(Agent agent, Cloud cloud, CloudException e) {
    String message = "Cloud " + cloud.getMetadata().getName() + ": " + e.reason() + ": " + e.getMessage();
    if ("TokenSpent".equals(e.reason())) {
      agent.getStatus().setPhase(AgentPhase.Pending);
      return status.degraded(agent, AgentReasons.RETRYING, message + "; using a new client token", NOW);
    }
    return status.degraded(agent, e.retryable() ? AgentReasons.CLOUD_UNAVAILABLE : AgentReasons.CLOUD_REJECTED,
        message, e.retryable() ? CLOUD_RETRY : CLOUD_REJECTED_RETRY);
  }
}
