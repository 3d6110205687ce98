package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.model.LivenessPolicy;
import io.conpaas.reconcilers.model.LivenessPolicy.Verdict;
import io.conpaas.reconcilers.model.MassUnreachability;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Configuring and Running steps of a VM whose agent answered once: keeps it on its spec, and
 * when the cloud or the agent says something is wrong, acts as {@link LivenessPolicy} decides:
 * waits (recording since when it is silent), holds when its Cloud has too many silent agents at
 * once ({@link MassUnreachability} over the informer's Agents: no API call), replaces a stateless
 * VM, or reports a stateful one lost without touching it.
 */
final class RunningWatch {
  private static final Logger LOG = LoggerFactory.getLogger(RunningWatch.class);
  /** How often a silent agent is asked again (each pass is one bounded call). */
  static final Duration SILENT_POLL = Duration.ofSeconds(1);

  private final CloudInventory inventory;
  private final TerminationBatcher terminations;
  private final CachedResources<Agent> allAgents;
  private final RoleSync roles;
  private final OperatorSettings settings;
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final AgentStatusWriter status;
  private final TlsBootstrap tls;
  private volatile int agentCount;
  private volatile long countedAt = System.nanoTime() - 2_000_000_000L;

  RunningWatch(CloudInventory inventory, TerminationBatcher terminations, CachedResources<Agent> allAgents,
      RoleSync roles, OperatorSettings settings, VmMetrics metrics, EventRecorder events, AgentStatusWriter status,
      TlsBootstrap tls) {
    this.tls = tls;
    this.inventory = inventory;
    this.terminations = terminations;
    this.allAgents = allAgents;
    this.roles = roles;
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.status = status;
  }

  UpdateControl<Agent> keepRunning(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    Optional<VmObservation> vm = inventory.find(cloud, st.getInstanceId());
    VmState state = vm.map(VmObservation::state).orElse(null);
    String endpoint = vm.map(VmObservation::agentEndpoint).orElse(null);
    endpoint = endpoint != null ? endpoint : st.getAgentEndpoint();
    String callError = null;
    if (state == VmState.RUNNING && endpoint == null) {
      callError = "the cloud reports no address for its agent";
    } else if (state == VmState.RUNNING) {
      renewCertificate(agent, endpoint);
      try {
        Optional<RoleSync.Blocked> blocked = roles.sync(agent, endpoint);
        if (blocked.isPresent()) {
          st.setUnreachableSince(null);
          return status.degraded(agent, blocked.get().reason(), blocked.get().message(), AgentReconciler.CLOUD_RETRY);
        }
      } catch (AgentCallException e) {
        callError = e.getMessage();
      }
    }
    Instant now = status.now();
    Instant since = st.getUnreachableSince() == null ? null : Instant.parse(st.getUnreachableSince());
    LivenessPolicy.Observation seen = new LivenessPolicy.Observation(Boolean.TRUE.equals(agent.getSpec().getStateful()),
        st.getInstanceId(), state, vm.map(VmObservation::stateReason).orElse(null), callError, since, now);
    Verdict verdict = LivenessPolicy.decide(seen, settings.agentHealthTimeout(), Optional.empty());
    if (verdict.action() == LivenessPolicy.Action.REPLACE && (state == VmState.RUNNING || state == VmState.STOPPED)) {
      // A silent agent on a running VM may be the operator's own network, and many VMs STOPPED at
      // once (OpenNebula UNKNOWN while a host is not monitored) the cloud's blip: ask the Cloud's count.
      st.setUnreachableSince((since == null ? now : since).toString());
      verdict = LivenessPolicy.decide(seen, settings.agentHealthTimeout(), hold(agent, cloud));
    }
    return switch (verdict.action()) {
      case KEEP -> running(agent, endpoint);
      case WAIT, HOLD -> silent(agent, since == null ? now : since, verdict);
      case REPLACE -> replace(agent, cloud, verdict);
      case LOST -> lost(agent, cloud, verdict);
    };
  }

  /** Renews the agent's certificate when due; a failure is retried on a later pass (a third of its life is left). */
  private void renewCertificate(Agent agent, String endpoint) {
    TlsBootstrap.Result renewal = tls.renewIfDue(agent, endpoint, status.now());
    switch (renewal.step()) {
      case RENEWED -> events.normal(agent, "CertificateRenewed", "the agent's certificate was renewed, valid until "
          + agent.getStatus().getTlsBootstrap().getCertificateNotAfter());
      case REFUSED -> events.warning(agent, "CertificateNotRenewed", renewal.message());
      case WAITING -> LOG.info("Agent {}/{}: certificate renewal deferred: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), renewal.message());
      default -> {
        // Not due.
      }
    }
  }

  private UpdateControl<Agent> running(Agent agent, String endpoint) {
    AgentStatus st = agent.getStatus();
    if (st.getUnreachableSince() != null) {
      events.normal(agent, "AgentReachable", "the agent answers again after being silent since "
          + st.getUnreachableSince());
    }
    st.setUnreachableSince(null);
    st.setAgentEndpoint(endpoint);
    if (st.getPhase() != AgentPhase.Running) {
      recordBoot(agent);
    }
    st.setPhase(AgentPhase.Running);
    st.setAttempts(Math.max(1, st.getAttempts() == null ? 1 : st.getAttempts()));
    return status.progress(agent, "Running", "agent answers on " + endpoint, RunningCheckInterval.of(
        settings.runningResync(), agentCount(), java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
  }

  /** The operator's Agents, counted at most once a second (counting copies the informer's list). */
  private int agentCount() {
    long now = System.nanoTime();
    if (now - countedAt > 1_000_000_000L) {
      agentCount = allAgents.all().size();
      countedAt = now;
    }
    return agentCount;
  }

  /** First Running on this VM: how long since the VM was created (the Agent, before it had one). */
  private void recordBoot(Agent agent) {
    String since = agent.getStatus().getVmCreatedAt() != null ? agent.getStatus().getVmCreatedAt()
        : agent.getMetadata().getCreationTimestamp();
    if (since != null && agent.getSpec().getCloud() != null) {
      metrics.booted(agent.getSpec().getCloud(), Duration.between(Instant.parse(since), status.now()));
    }
  }

  /** Silent, waited for: the phase stays, since when goes to status (the Cloud's count reads it). */
  private UpdateControl<Agent> silent(Agent agent, Instant since, Verdict verdict) {
    AgentStatus st = agent.getStatus();
    if (st.getUnreachableSince() == null) {
      LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
          verdict.message());
      events.warning(agent, "AgentUnreachable", verdict.message());
    }
    st.setUnreachableSince(since.toString());
    return status.degraded(agent, verdict.reason(), verdict.message(), SILENT_POLL);
  }

  /** A stateless VM that died or stayed silent too long: released, and a new one with a fresh budget. */
  private UpdateControl<Agent> replace(Agent agent, Cloud cloud, Verdict verdict) {
    AgentStatus st = agent.getStatus();
    LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), verdict.message());
    if (st.getInstanceId() != null) {
      terminations.request(cloud, List.of(st.getInstanceId()));
    }
    metrics.replaced(cloud.getMetadata().getName());
    events.warning(agent, "VmReplaced", verdict.message());
    st.setUnreachableSince(null);
    st.setAttempts(0);
    st.setPhase(AgentPhase.Pending);
    return status.degraded(agent, verdict.reason(), verdict.message(), AgentReconciler.NOW);
  }

  /** A stateful VM the cloud reports failed or gone: the Agent fails; the VM is left alone. */
  private UpdateControl<Agent> lost(Agent agent, Cloud cloud, Verdict verdict) {
    AgentStatus st = agent.getStatus();
    LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), verdict.message());
    metrics.failed(cloud.getMetadata().getName());
    events.warning(agent, "StatefulVmLost", verdict.message());
    st.setUnreachableSince(null);
    st.setPhase(AgentPhase.Failed);
    return status.degraded(agent, verdict.reason(), verdict.message(), FailedWatch.LOST_POLL);
  }

  /** Why the Cloud holds replacements now, from the cached Agents with this one as it is now. */
  private Optional<String> hold(Agent agent, Cloud cloud) {
    List<Agent> agents = new ArrayList<>(allAgents.all().stream()
        .filter(a -> !agent.getMetadata().getUid().equals(a.getMetadata().getUid())).toList());
    agents.add(agent);
    MassUnreachability.Assessment a = MassUnreachability.assess(cloud.getMetadata().getName(), agents,
        settings.agentMaxUnhealthyShare(), settings.agentUnhealthyWindow());
    return a.held() ? Optional.of(a.message()) : Optional.empty();
  }
}
