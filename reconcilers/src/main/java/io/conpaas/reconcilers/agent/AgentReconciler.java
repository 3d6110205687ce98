package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.code.CodeArchives;
import io.conpaas.reconcilers.code.ServiceCode;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.model.CloudCapacity;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one VM of an Agent (ConPaaS create_nodes + check_agent_process): records the client
 * token in status before calling the cloud, creates the VM idempotently with it, waits without
 * blocking until the agent answers over mutual TLS, pushes the role configuration, replaces a
 * VM that dies or never answers (at most agent.maxAttempts times), and releases it on delete.
 */
@ControllerConfiguration(name = "agent")
public final class AgentReconciler implements Reconciler<Agent>, Cleaner<Agent> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReconciler.class);
  private static final Duration NOW = Duration.ofMillis(1);
  private static final Duration BOOT_POLL = Duration.ofMillis(300);
  private static final Duration CLOUD_RETRY = Duration.ofSeconds(5);
  private static final Duration CLOUD_REJECTED_RETRY = Duration.ofSeconds(30);

  private final CachedResources<Cloud> clouds;
  private final DriverRegistry drivers;
  private final CloudInventory inventory;
  private final AgentContextFactory contexts;
  private final AgentClient agents;
  private final CodeArchives code;
  private final CredentialSource credentials;
  private final OperatorSettings settings;
  private final TerminationBatcher terminations;
  private final CloudCapacity capacity = new CloudCapacity();
  private final Map<String, Object> capacityLocks = new ConcurrentHashMap<>();
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;

  public AgentReconciler(CachedResources<Cloud> clouds, DriverRegistry drivers, CloudInventory inventory,
      TerminationBatcher terminations, AgentContextFactory contexts, AgentClient agents, CodeArchives code,
      CredentialSource credentials, OperatorSettings settings, VmMetrics metrics, EventRecorder events, Clock clock) {
    this.code = code;
    this.credentials = credentials;
    this.clouds = clouds;
    this.drivers = drivers;
    this.inventory = inventory;
    this.terminations = terminations;
    this.contexts = contexts;
    this.agents = agents;
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
    AgentStatus st = agent.getStatus() == null ? new AgentStatus() : agent.getStatus();
    agent.setStatus(st);
    Optional<Cloud> cloud = clouds.get(agent.getSpec().getCloud());
    if (cloud.isEmpty()) {
      return degraded(agent, AgentReasons.CLOUD_NOT_FOUND, "Cloud " + agent.getSpec().getCloud() + " not found",
          CLOUD_RETRY);
    }
    AgentPhase phase = st.getPhase() == null ? AgentPhase.Pending : st.getPhase();
    try {
      return switch (phase) {
        case Pending, Deleting -> recordToken(agent);
        case Creating -> createVm(agent, cloud.get());
        case Booting -> awaitHealth(agent, cloud.get());
        case Configuring, Running -> keepRunning(agent, cloud.get());
        case Failed -> retryAfterSpecChange(agent);
      };
    } catch (CloudException e) {
      return cloudError(agent, cloud.get(), e);
    }
  }

  /** Step 1: the token goes to status before any cloud call, so a crash cannot hide a VM. */
  private UpdateControl<Agent> recordToken(Agent agent) {
    AgentStatus st = agent.getStatus();
    int attempt = (st.getAttempts() == null ? 0 : st.getAttempts()) + 1;
    int serial = (st.getVmSerial() == null ? 0 : st.getVmSerial()) + 1;
    // Deterministic per (Agent, VM): a stale cache read repeats the same token, never a new one.
    st.setClientToken(agent.getMetadata().getUid() + "-" + serial);
    st.setVmSerial(serial);
    st.setAttempts(attempt);
    st.setInstanceId(null);
    st.setAgentEndpoint(null);
    st.setAppliedConfigHash(null);
    st.setFacts(new java.util.TreeMap<>());
    st.setCodeVersions(new java.util.ArrayList<>());
    st.setVmCreatedAt(null);
    st.setPhase(AgentPhase.Creating);
    return finish(agent, "Creating", "creating VM (attempt " + attempt + ")", NOW);
  }

  private UpdateControl<Agent> createVm(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    VmObservation vm;
    if (cloud.getSpec().getMaxInstances() == null) {
      vm = launch(agent, cloud);
    } else {
      // Serialised per capped Cloud so that the maxInstances check and the create are one step.
      synchronized (capacityLock(cloud)) {
        Optional<String> full = capacity.fullFor(cloud, inventory.list(cloud), st.getClientToken());
        if (full.isPresent()) {
          return degraded(agent, AgentReasons.CLOUD_FULL, full.get(), CLOUD_RETRY);
        }
        vm = launch(agent, cloud);
      }
    }
    st.setInstanceId(vm.instanceId());
    st.setAddresses(new AgentAddresses(vm.publicAddress(), vm.privateAddress()));
    st.setVmCreatedAt(clock.instant().toString());
    st.setPhase(AgentPhase.Booting);
    LOG.info("Agent {}/{}: VM {} created", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
        vm.instanceId());
    metrics.created(cloud.getMetadata().getName());
    events.normal(agent, "VmCreated", "VM " + vm.instanceId() + " created on Cloud " + cloud.getMetadata().getName()
        + " (attempt " + st.getAttempts() + ")");
    return finish(agent, "Booting", "VM " + vm.instanceId() + " booting", BOOT_POLL);
  }

  private VmObservation launch(Agent agent, Cloud cloud) {
    VmObservation vm = drivers.forCloud(cloud).create(new VmRequest(agent.getStatus().getClientToken(),
        agent.getMetadata().getName(), tags(agent), agent.getSpec().getInstanceType(), contexts.contextFor(agent)));
    inventory.recordCreated(cloud, vm);
    return vm;
  }

  private UpdateControl<Agent> awaitHealth(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    Optional<VmObservation> vm = inventory.find(cloud, st.getInstanceId());
    if (vm.isEmpty() || vm.get().state() == VmState.FAILED || vm.get().state() == VmState.TERMINATING) {
      return giveUpOnVm(agent, cloud, "VM " + st.getInstanceId() + " failed while booting");
    }
    String endpoint = vm.get().agentEndpoint();
    if (endpoint != null && agents.healthy(endpoint, agent.getMetadata().getName())) {
      st.setAgentEndpoint(endpoint);
      st.setPhase(AgentPhase.Configuring);
      return keepRunning(agent, cloud);
    }
    Instant since = st.getVmCreatedAt() == null ? clock.instant() : Instant.parse(st.getVmCreatedAt());
    if (clock.instant().isAfter(since.plus(settings.agentHealthTimeout()))) {
      return giveUpOnVm(agent, cloud, "agent did not answer within " + settings.agentHealthTimeout().toSeconds()
          + "s on VM " + st.getInstanceId());
    }
    return finish(agent, "Booting", "waiting for the agent on VM " + st.getInstanceId(), BOOT_POLL);
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
      return degraded(agent, AgentReasons.FAILED, message, null);
    }
    metrics.replaced(cloud.getMetadata().getName());
    events.warning(agent, "VmRetried", why + "; retrying on a new VM");
    st.setPhase(AgentPhase.Pending);
    return degraded(agent, AgentReasons.RETRYING, why + "; retrying on a new VM", NOW);
  }

  private UpdateControl<Agent> keepRunning(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    Optional<VmObservation> vm = inventory.find(cloud, st.getInstanceId());
    if (vm.isEmpty() || vm.get().state() != VmState.RUNNING) {
      terminate(cloud, st.getInstanceId());
      if (Boolean.TRUE.equals(agent.getSpec().getStateful())) {
        // Its data was on that VM: an empty replacement would look healthy and lose it silently.
        String why = "VM " + st.getInstanceId() + " is gone and this agent's data was on it; it is not replaced "
            + "by an empty VM (delete this Agent to start an empty one)";
        LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), why);
        metrics.failed(cloud.getMetadata().getName());
        events.warning(agent, "StatefulVmLost", why);
        st.setPhase(AgentPhase.Failed);
        return degraded(agent, AgentReasons.STATEFUL_VM_LOST, why, null);
      }
      // A VM that ran and then died is replaced with a fresh budget of attempts.
      String why = "VM " + st.getInstanceId() + " is gone; replacing it";
      LOG.warn("Agent {}/{}: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(), why);
      metrics.replaced(cloud.getMetadata().getName());
      events.warning(agent, "VmReplaced", why);
      st.setAttempts(0);
      st.setPhase(AgentPhase.Pending);
      return degraded(agent, AgentReasons.REPLACING, why, NOW);
    }
    String name = agent.getMetadata().getName();
    String endpoint = vm.get().agentEndpoint() != null ? vm.get().agentEndpoint() : st.getAgentEndpoint();
    try {
      // Code and credentials first: the configuration may need them (a version, a password).
      boolean codeChanged = syncCode(agent, endpoint);
      Optional<String> missing = syncCredentials(agent, endpoint);
      if (missing.isPresent()) {
        return degraded(agent, AgentReasons.CREDENTIALS_MISSING, missing.get(), CLOUD_RETRY);
      }
      String want = ConfigHash.of(agent.getSpec().getConfig());
      if (!want.equals(st.getAppliedConfigHash())) {
        st.setPhase(AgentPhase.Configuring);
        AgentInfo info = agents.configure(endpoint, name, agent.getSpec().getConfig());
        st.setAppliedConfigHash(info.configHash());
        st.setFacts(new java.util.TreeMap<>(info.facts()));
      } else if (!codeChanged) {
        // The health check reads /info, so facts that move (a slave's replication) stay current.
        st.setFacts(new java.util.TreeMap<>(agents.info(endpoint, name).facts()));
      }
    } catch (AgentCallException e) {
      // Back to Booting: it gets one health timeout to answer again before it is replaced.
      st.setPhase(AgentPhase.Booting);
      st.setVmCreatedAt(clock.instant().toString());
      return degraded(agent, AgentReasons.UNREACHABLE, e.getMessage(), BOOT_POLL);
    }
    st.setAgentEndpoint(endpoint);
    st.setPhase(AgentPhase.Running);
    st.setAttempts(Math.max(1, st.getAttempts() == null ? 1 : st.getAttempts()));
    return finish(agent, "Running", "agent answers on " + endpoint, settings.runningResync());
  }

  /**
   * Sends the credentials of spec.credentialsSecret when the agent does not report their version
   * yet (a new VM, or a changed Secret: the password reset). Returns why it could not.
   */
  private Optional<String> syncCredentials(Agent agent, String endpoint) {
    String secret = agent.getSpec().getCredentialsSecret();
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    Map<String, String> facts = agent.getStatus().getFacts();
    String held = facts == null ? null : facts.get(MysqlRoleKeys.CREDENTIALS_VERSION);
    String wanted = agent.getSpec().getConfig().get(MysqlRoleKeys.CREDENTIALS_VERSION);
    // The configuration names the Secret's version: no API read while the agent holds it.
    if (wanted != null && wanted.equals(held)) {
      return Optional.empty();
    }
    Optional<MysqlRoleKeys.Credentials> c = credentials.read(agent.getMetadata().getNamespace(), secret);
    if (c.isEmpty()) {
      return Optional.of("Secret " + secret + " with the service's passwords is missing or incomplete");
    }
    if (c.get().version().equals(held)) {
      return Optional.empty();
    }
    AgentInfo info = agents.putCredentials(endpoint, agent.getMetadata().getName(), c.get());
    agent.getStatus().setFacts(new java.util.TreeMap<>(info.facts()));
    return Optional.empty();
  }

  /**
   * Uploads the code versions the spec lists and the agent has not confirmed yet, from the
   * operator's store (the agent keeps them across its own restarts; a new VM starts empty).
   * Returns whether anything was uploaded.
   */
  private boolean syncCode(Agent agent, String endpoint) {
    List<String> want = agent.getSpec().getCodeVersions() == null ? List.of() : agent.getSpec().getCodeVersions();
    List<String> held = agent.getStatus().getCodeVersions() == null ? new java.util.ArrayList<>()
        : new java.util.ArrayList<>(agent.getStatus().getCodeVersions());
    Map<String, String> labels = agent.getMetadata().getLabels();
    ServiceCode service = new ServiceCode(agent.getMetadata().getNamespace(), agent.getSpec().getServiceKind(),
        labels.getOrDefault(ApiConstants.LABEL_SERVICE, ""));
    boolean uploaded = false;
    for (String version : want) {
      if (held.contains(version)) {
        continue;
      }
      Optional<java.nio.file.Path> archive = code.archive(service, version);
      if (archive.isEmpty()) {
        throw new AgentCallException("code version " + version + " of " + service + " is not in the operator's store",
            null);
      }
      agents.uploadCode(endpoint, agent.getMetadata().getName(), version, archive.get());
      held.add(version);
      agent.getStatus().setCodeVersions(held);
      uploaded = true;
    }
    return uploaded;
  }

  private UpdateControl<Agent> retryAfterSpecChange(Agent agent) {
    AgentStatus st = agent.getStatus();
    if (Objects.equals(st.getObservedGeneration(), agent.getMetadata().getGeneration())
        || Conditions.hasReason(st.getConditions(), ConditionTypes.DEGRADED, AgentReasons.STATEFUL_VM_LOST)) {
      // A lost stateful VM is not retried by a spec change either: only deleting the Agent starts afresh.
      return UpdateControl.noUpdate();
    }
    st.setAttempts(0);
    st.setPhase(AgentPhase.Pending);
    return finish(agent, "Retrying", "spec changed; retrying", NOW);
  }

  @Override
  public DeleteControl cleanup(Agent agent, Context<Agent> context) {
    Optional<Cloud> cloud = clouds.get(agent.getSpec().getCloud());
    if (cloud.isEmpty()) {
      // Nothing can reach the VM without its Cloud; keeping the finalizer would block the
      // service's deletion forever. The orphan sweep of the Cloud's driver owns such VMs.
      LOG.warn("Agent {}/{}: Cloud {} is gone; cannot release VM {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), agent.getSpec().getCloud(),
          agent.getStatus() == null ? null : agent.getStatus().getInstanceId());
      return DeleteControl.defaultDelete();
    }
    // The shared snapshot (plus our own recent creates) serves: no list call per deleted Agent.
    List<VmObservation> ours = inventory.list(cloud.get()).stream()
        .filter(vm -> agent.getMetadata().getUid().equals(vm.tags().get(VmTags.AGENT_UID))).toList();
    if (ours.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    List<String> alive = ours.stream().filter(vm -> vm.state() != VmState.TERMINATING)
        .map(VmObservation::instanceId).toList();
    if (!alive.isEmpty()) {
      leave(agent);
      terminations.request(cloud.get(), alive);
      events.normal(agent, "VmReleased", "releasing VM(s) " + String.join(", ", alive));
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(BOOT_POLL);
  }

  /** Lets the role leave cleanly before its VM goes (a slave detaches); best effort. */
  private void leave(Agent agent) {
    AgentStatus st = agent.getStatus();
    if (st == null || st.getPhase() != AgentPhase.Running || st.getAgentEndpoint() == null) {
      return;
    }
    try {
      agents.leave(st.getAgentEndpoint(), agent.getMetadata().getName());
    } catch (AgentCallException e) {
      LOG.info("Agent {}/{} could not leave cleanly: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), e.getMessage());
    }
  }

  private void terminate(Cloud cloud, String instanceId) {
    if (instanceId != null) {
      terminations.request(cloud, List.of(instanceId));
    }
  }

  private Map<String, String> tags(Agent agent) {
    Map<String, String> labels = agent.getMetadata().getLabels();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(VmTags.CLUSTER, settings.clusterId());
    tags.put(VmTags.NAMESPACE, agent.getMetadata().getNamespace());
    tags.put(VmTags.APPLICATION, labels.getOrDefault(ApiConstants.LABEL_APPLICATION, ""));
    tags.put(VmTags.SERVICE, labels.getOrDefault(ApiConstants.LABEL_SERVICE, ""));
    tags.put(VmTags.ROLE, agent.getSpec().getRole());
    tags.put(VmTags.AGENT, agent.getMetadata().getName());
    tags.put(VmTags.AGENT_UID, agent.getMetadata().getUid());
    return tags;
  }

  /**
   * A cloud call failed: the Agent keeps its phase and waits. A spent token (the cloud refuses
   * it for a new VM) gets a fresh one; errors only a user can fix are reported as such.
   */
  private UpdateControl<Agent> cloudError(Agent agent, Cloud cloud, CloudException e) {
    String message = "Cloud " + cloud.getMetadata().getName() + ": " + e.reason() + ": " + e.getMessage();
    if ("TokenSpent".equals(e.reason())) {
      agent.getStatus().setPhase(AgentPhase.Pending);
      return degraded(agent, AgentReasons.RETRYING, message + "; using a new client token", NOW);
    }
    return degraded(agent, e.retryable() ? AgentReasons.CLOUD_UNAVAILABLE : AgentReasons.CLOUD_REJECTED, message,
        e.retryable() ? CLOUD_RETRY : CLOUD_REJECTED_RETRY);
  }

  private Object capacityLock(Cloud cloud) {
    return capacityLocks.computeIfAbsent(cloud.getMetadata().getName(), n -> new Object());
  }

  private UpdateControl<Agent> finish(Agent agent, String reason, String message, Duration next) {
    return patch(agent, reason, message, false, next);
  }

  private UpdateControl<Agent> degraded(Agent agent, String reason, String message, Duration next) {
    return patch(agent, reason, message, true, next);
  }

  /** Sets message and conditions, marks the generation observed, and patches status once. */
  private UpdateControl<Agent> patch(Agent agent, String reason, String message, boolean degraded, Duration next) {
    AgentStatus st = agent.getStatus();
    AgentPhase phase = st.getPhase() == null ? AgentPhase.Pending : st.getPhase();
    Long gen = agent.getMetadata().getGeneration();
    Instant now = clock.instant();
    st.setMessage(message);
    st.setConditions(Conditions.list(
        Conditions.of(st.getConditions(), ConditionTypes.READY, phase == AgentPhase.Running, reason, message, gen, now),
        Conditions.of(st.getConditions(), ConditionTypes.DEGRADED, degraded, degraded ? reason : "AsExpected",
            degraded ? message : "", gen, now)));
    st.setObservedGeneration(gen);
    UpdateControl<Agent> control = UpdateControl.patchStatus(agent);
    return next == null ? control : control.rescheduleAfter(next);
  }
}
