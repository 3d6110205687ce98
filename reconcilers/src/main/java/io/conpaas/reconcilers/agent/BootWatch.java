package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Booting step of a new VM (ConPaaS check_agent_process): waits without blocking until the
 * agent answers; a VM that fails or stays silent past agent.healthTimeout is released and retried
 * on a new one, at most agent.maxAttempts times; an agent that died at start for a reason a new
 * VM would repeat fails the Agent at once with that reason. A booting VM never served, so it holds
 * no data and may be released even for a stateful agent.
 */
final class BootWatch {
  private static final Logger LOG = LoggerFactory.getLogger(BootWatch.class);

  private final CloudInventory inventory;
  private final TerminationBatcher terminations;
  private final RoleSync roles;
  private final OperatorSettings settings;
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final AgentStatusWriter status;
  private final TlsBootstrap bootstrap;

  BootWatch(CloudInventory inventory, TerminationBatcher terminations, RoleSync roles, OperatorSettings settings,
      VmMetrics metrics, EventRecorder events, AgentStatusWriter status, TlsBootstrap bootstrap) {
    this.bootstrap = bootstrap;
    this.inventory = inventory;
    this.terminations = terminations;
    this.roles = roles;
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.status = status;
  }

  /** Empty once the agent answers (the caller goes on to configure it); else the step's result. */
  Optional<UpdateControl<Agent>> awaitHealth(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    if (st.getAppliedConfigHash() != null) {
      // This VM served already (an Agent an older operator sent back to Booting when it went
      // silent): it may hold data, so it is watched as a running one, not timed out as new.
      return Optional.empty();
    }
    Optional<VmObservation> vm = inventory.find(cloud, st.getInstanceId());
    if (vm.isEmpty() || vm.get().state() == VmState.FAILED || vm.get().state() == VmState.TERMINATING) {
      String why = "VM " + st.getInstanceId() + " failed while booting" + reason(vm);
      if (vm.isPresent() && vm.get().state() == VmState.FAILED && vm.get().permanentFailure()) {
        return Optional.of(startFailed(agent, cloud, why));
      }
      return Optional.of(giveUpOnVm(agent, cloud, why));
    }
    String endpoint = vm.get().agentEndpoint();
    if (endpoint != null && TlsBootstrap.pending(agent)) {
      TlsBootstrap.Result step = bootstrap.advance(agent, endpoint, status.now());
      switch (step.step()) {
        case SPENT:
          return Optional.of(status.progress(agent, "Booting", step.message(), Duration.ofMillis(1)));
        case REFUSED:
          events.warning(agent, "BootstrapRefused", step.message());
          return Optional.of(giveUpOnVm(agent, cloud, "TLS bootstrap of VM " + st.getInstanceId() + " refused: "
              + step.message()));
        default:
          break;
      }
    }
    if (endpoint != null && !TlsBootstrap.pending(agent) && roles.healthy(agent, endpoint)) {
      st.setAgentEndpoint(endpoint);
      st.setUnreachableSince(null);
      st.setPhase(AgentPhase.Configuring);
      return Optional.empty();
    }
    Instant since = st.getVmCreatedAt() == null ? status.now() : Instant.parse(st.getVmCreatedAt());
    if (status.now().isAfter(since.plus(settings.agentHealthTimeout()))) {
      return Optional.of(giveUpOnVm(agent, cloud, "agent did not answer within "
          + settings.agentHealthTimeout().toSeconds() + "s on VM " + st.getInstanceId()));
    }
    return Optional.of(status.progress(agent, "Booting", "waiting for the agent on VM " + st.getInstanceId(),
        AgentReconciler.BOOT_POLL));
  }

  /** The cloud's reason for the state, as a suffix, when it gives one (e.g. the agent's last words). */
  private static String reason(Optional<VmObservation> vm) {
    String r = vm.map(VmObservation::stateReason).orElse(null);
    return r == null || r.isBlank() ? "" : ": " + r;
  }

  /** A deterministic start failure: a new VM would fail the same way, so no retries. */
  private UpdateControl<Agent> startFailed(Agent agent, Cloud cloud, String why) {
    AgentStatus st = agent.getStatus();
    terminate(cloud, st.getInstanceId());
    st.setPhase(AgentPhase.Failed);
    LOG.warn("Agent {}/{} failed at start: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
        why);
    metrics.failed(cloud.getMetadata().getName());
    String message = why + "; not retried (a new VM would fail the same way)";
    events.warning(agent, "AgentStartFailed", message);
    return status.degraded(agent, AgentReasons.START_FAILED, message, null);
  }

  /** A VM that never came up: release it, then retry on a new one or fail after maxAttempts. */
  private UpdateControl<Agent> giveUpOnVm(Agent agent, Cloud cloud, String why) {
    AgentStatus st = agent.getStatus();
    terminate(cloud, st.getInstanceId());
    int attempts = st.getAttempts() == null ? 1 : st.getAttempts();
    if (attempts >= settings.agentMaxAttempts()) {
      st.setPhase(AgentPhase.Failed);
      LOG.warn("Agent {}/{} failed: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), why);
      metrics.failed(cloud.getMetadata().getName());
      String message = why + "; gave up after " + attempts + " attempts";
      events.warning(agent, "AgentFailed", message);
      return status.degraded(agent, AgentReasons.FAILED, message, null);
    }
    metrics.replaced(cloud.getMetadata().getName());
    events.warning(agent, "VmRetried", why + "; retrying on a new VM");
    st.setPhase(AgentPhase.Pending);
    return status.degraded(agent, AgentReasons.RETRYING, why + "; retrying on a new VM", AgentReconciler.NOW);
  }

  private void terminate(Cloud cloud, String instanceId) {
    if (instanceId != null) {
      terminations.request(cloud, List.of(instanceId));
    }
  }
}
