package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.model.RetryBackoff;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deleted Agent's VM goes before the Agent does (the finalizer): the role leaves cleanly, the
 * VM is terminated with the Cloud's next bulk call, and the finalizer goes once the cloud no
 * longer lists it. While the Cloud cannot be reached the release is retried with a doubling
 * delay (capped), and status and an Event say why.
 */
final class VmRelease {
  private static final Logger LOG = LoggerFactory.getLogger(VmRelease.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(5);
  private static final Duration MAX_THROTTLED_RETRY = Duration.ofSeconds(10);
  private static final Duration LEAVE_POLL = Duration.ofSeconds(1);
  /** How long a role may take to leave (counted from the Agent's deletion) before its VM goes anyway. */
  static final Duration MAX_LEAVE = Duration.ofMinutes(5);

  private final CachedResources<Cloud> clouds;
  private final CloudInventory inventory;
  private final TerminationBatcher terminations;
  private final AgentClient agents;
  private final EventRecorder events;
  private final AgentStatusWriter status;

  VmRelease(CachedResources<Cloud> clouds, CloudInventory inventory, TerminationBatcher terminations,
      AgentClient agents, EventRecorder events, AgentStatusWriter status) {
    this.clouds = clouds;
    this.inventory = inventory;
    this.terminations = terminations;
    this.agents = agents;
    this.events = events;
    this.status = status;
  }

  DeleteControl release(Agent agent, Context<Agent> context) {
    Optional<Cloud> cloud = clouds.get(agent.getSpec().getCloud());
    if (cloud.isEmpty()) {
      // Nothing can reach the VM without its Cloud (whose own finalizer waits for its Agents, so
      // this is a Cloud that never existed); keeping the finalizer would block the service forever.
      LOG.warn("Agent {}/{}: Cloud {} is gone; cannot release VM {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), agent.getSpec().getCloud(),
          agent.getStatus() == null ? null : agent.getStatus().getInstanceId());
      return DeleteControl.defaultDelete();
    }
    try {
      // The shared snapshot (plus our own recent creates) serves: no list call per deleted Agent.
      // Tagged with its uid, or bound to it by status (a batch VM whose labels have not reached it yet).
      String bound = agent.getStatus() == null ? null : agent.getStatus().getInstanceId();
      List<VmObservation> ours = inventory.list(cloud.get()).stream()
          .filter(vm -> agent.getMetadata().getUid().equals(vm.tags().get(VmTags.AGENT_UID))
              || bound != null && bound.equals(vm.instanceId()) && vm.tags().containsKey(VmTags.LAUNCH_BATCH))
          .toList();
      if (ours.isEmpty()) {
        return DeleteControl.defaultDelete();
      }
      List<String> alive = ours.stream().filter(vm -> vm.state() != VmState.TERMINATING)
          .map(VmObservation::instanceId).toList();
      if (!alive.isEmpty()) {
        Optional<CloudException> failed = terminations.failure(cloud.get());
        if (!leave(agent)) {
          // The role is still leaving (a key-value node moving its entries): the VM stays until it is done.
          events.normal(agent, "RoleLeaving", "the role is still leaving (e.g. moving its entries to other "
              + "nodes); VM " + String.join(", ", alive) + " is kept until it is done");
          return DeleteControl.noFinalizerRemoval().rescheduleAfter(LEAVE_POLL);
        }
        terminations.request(cloud.get(), alive);
        if (failed.isPresent()) {
          throw failed.get();
        }
        events.normal(agent, "VmReleased", "releasing VM(s) " + String.join(", ", alive));
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(AgentReconciler.BOOT_POLL);
    } catch (CloudException e) {
      return retryLater(agent, cloud.get(), e, context);
    }
  }

  /**
   * The wait before the next try: doubling up to {@link #MAX_RETRY}, but at most
   * {@link #MAX_THROTTLED_RETRY} when the cloud only throttled us. Throttling says "later", not
   * "broken": every caller shares the rate, the next try costs no extra list (the inventory is
   * shared), and doubling to minutes left VMs running long after their Agents were deleted.
   */
  static Duration retryDelay(int failures, CloudException e) {
    return RetryBackoff.after(failures, FIRST_RETRY, e.throttled() ? MAX_THROTTLED_RETRY : MAX_RETRY);
  }

  /** The Cloud failed us: say so in status and an Event, and come back after a doubling delay. */
  private DeleteControl retryLater(Agent agent, Cloud cloud, CloudException e, Context<Agent> context) {
    AgentStatus st = agent.getStatus() == null ? new AgentStatus() : agent.getStatus();
    agent.setStatus(st);
    int failures = (st.getReleaseFailures() == null ? 0 : st.getReleaseFailures()) + 1;
    Duration delay = retryDelay(failures, e);
    String message = "cannot release VM " + st.getInstanceId() + ": Cloud " + cloud.getMetadata().getName() + ": "
        + e.reason() + ": " + e.getMessage() + "; attempt " + failures + ", next in " + delay.toSeconds() + "s";
    LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), message);
    events.warning(agent, "VmReleaseRetrying", message);
    st.setReleaseFailures(failures);
    st.setPhase(AgentPhase.Deleting);
    status.describe(agent, AgentReasons.RELEASE_RETRYING, message, true);
    Agent patch = new Agent();
    patch.setMetadata(new ObjectMetaBuilder().withName(agent.getMetadata().getName())
        .withNamespace(agent.getMetadata().getNamespace()).build());
    patch.setStatus(st);
    try {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(agent, patch, context);
    } catch (KubernetesClientException ke) {
      // Only the report is lost; the retry below still happens.
      LOG.info("Agent {}/{}: could not record the release failure: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), ke.getMessage());
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay);
  }

  /**
   * Lets the role leave cleanly before its VM goes (a slave detaches); best effort. False while
   * the role says it is still leaving, for at most {@link #MAX_LEAVE} after the Agent's deletion.
   */
  private boolean leave(Agent agent) {
    AgentStatus st = agent.getStatus();
    if (st == null || st.getPhase() != AgentPhase.Running || st.getAgentEndpoint() == null
        || st.getUnreachableSince() != null) {
      return true;
    }
    try {
      if (agents.leave(st.getAgentEndpoint(), AgentIdentity.of(agent))) {
        return true;
      }
      String deleted = agent.getMetadata().getDeletionTimestamp();
      if (deleted != null && java.time.Instant.parse(deleted).plus(MAX_LEAVE).isBefore(java.time.Instant.now())) {
        LOG.warn("Agent {}/{} still leaving after {}; releasing its VM anyway", agent.getMetadata().getNamespace(),
            agent.getMetadata().getName(), MAX_LEAVE);
        events.warning(agent, "LeaveTimedOut", "the role did not finish leaving within " + MAX_LEAVE.toMinutes()
            + " minutes; releasing the VM anyway");
        return true;
      }
      return false;
    } catch (AgentCallException e) {
      if (askAgain(e, agent.getMetadata().getDeletionTimestamp(), java.time.Instant.now())) {
        LOG.info("Agent {}/{} did not answer its leave call in time; asking again: {}",
            agent.getMetadata().getNamespace(), agent.getMetadata().getName(), e.getMessage());
        return false;
      }
      LOG.info("Agent {}/{} could not leave cleanly: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), e.getMessage());
      return true;
    }
  }

  /**
   * Whether a failed leave call is asked again (the VM kept): an agent that accepted the call but did
   * not answer in time is alive (busy or slow) and its role may still hold data (an OSD moving
   * volumes), so within the same limit as a LEAVING answer; refused or unreachable: nothing answers
   * there any more.
   */
  static boolean askAgain(AgentCallException e, String deletionTimestamp, java.time.Instant now) {
    return e instanceof io.conpaas.reconcilers.agentclient.AgentTimeoutException && deletionTimestamp != null
        && java.time.Instant.parse(deletionTimestamp).plus(MAX_LEAVE).isAfter(now);
  }
}
