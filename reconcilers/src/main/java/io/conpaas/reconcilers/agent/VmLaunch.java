package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.AgentLaunchBatch;
import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.model.BatchBinding;
import io.conpaas.reconcilers.model.BatchWindow;
import io.conpaas.reconcilers.model.CloudCapacity;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pending and Creating steps: the client token goes to status before any cloud call (a crash
 * cannot hide a VM), then the VM is created idempotently with it, within the Cloud's
 * maxInstances and never on a Cloud being deleted.
 *
 * <p>On clouds that start several VMs per call ({@link IaasDriver#maxBatch()}), Agents waiting
 * together are launched in batches ({@link LaunchBatcher}): each records the batch token and its
 * slot before the one call, each VM is bound to an Agent after it (pure {@link BatchBinding}), and
 * each Agent records its binding before anything else is done with the VM (its tags come after).
 */
final class VmLaunch {
  private static final Logger LOG = LoggerFactory.getLogger(VmLaunch.class);

  private final DriverRegistry drivers;
  private final CloudInventory inventory;
  private final AgentContextFactory contexts;
  private final String caFingerprint;
  private final OperatorSettings settings;
  private final VmMetrics metrics;
  private final EventRecorder events;
  private final AgentStatusWriter status;
  private final CloudCapacity capacity = new CloudCapacity();
  private final CapacityGate gate = new CapacityGate();
  private final CachedResources<Agent> allAgents;
  private final LaunchBatcher batcher;

  VmLaunch(DriverRegistry drivers, CloudInventory inventory, AgentContextFactory contexts, String caFingerprint,
      OperatorSettings settings, VmMetrics metrics, EventRecorder events, AgentStatusWriter status,
      CachedResources<Agent> allAgents, java.time.Clock clock) {
    this.allAgents = allAgents;
    this.batcher = new LaunchBatcher(BatchWindow.DEFAULT, clock);
    this.drivers = drivers;
    this.inventory = inventory;
    this.contexts = contexts;
    this.caFingerprint = caFingerprint;
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.status = status;
  }

  /** Pending: a new token (and attempt) for the next VM, recorded before the cloud is called. */
  UpdateControl<Agent> recordToken(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    if (cloud.getMetadata().getDeletionTimestamp() == null && drivers.forCloud(cloud).maxBatch() > 1) {
      batcher.register(agent);
    }
    int attempt = (st.getAttempts() == null ? 0 : st.getAttempts()) + 1;
    int serial = (st.getVmSerial() == null ? 0 : st.getVmSerial()) + 1;
    // Deterministic per (Agent, VM): a stale cache read repeats the same token, never a new one.
    st.setClientToken(agent.getMetadata().getUid() + "-" + serial);
    // The VM's bootstrap token derives from the client token; only its hash is kept.
    st.setTlsBootstrap(new AgentTlsBootstrap(contexts.tokenHashFor(st.getClientToken())));
    st.setVmSerial(serial);
    st.setAttempts(attempt);
    st.setInstanceId(null);
    st.setLaunchBatch(null);
    st.setAgentEndpoint(null);
    st.setAppliedConfigHash(null);
    st.setFacts(new TreeMap<>());
    st.setCodeVersions(new ArrayList<>());
    st.setVmCreatedAt(null);
    st.setUnreachableSince(null);
    st.setPhase(AgentPhase.Creating);
    return status.progress(agent, "Creating", "creating VM (attempt " + attempt + ")", Duration.ofMillis(1));
  }

  /** Creating: the VM, adopted if the token's VM exists already. */
  UpdateControl<Agent> createVm(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    if (cloud.getMetadata().getDeletionTimestamp() != null) {
      return status.degraded(agent, AgentReasons.CLOUD_DELETING, "Cloud " + cloud.getMetadata().getName()
          + " is being deleted; no new VM is started on it", AgentReconciler.CLOUD_RETRY);
    }
    IaasDriver driver = drivers.forCloud(cloud);
    AgentLaunchBatch batch = st.getLaunchBatch();
    if (batch != null && batch.getToken() != null) {
      return batched(agent, cloud, driver, true);
    }
    if (driver.maxBatch() > 1) {
      LaunchBatcher.Joined joined = batcher.join(agent, driver.maxBatch());
      if (joined instanceof LaunchBatcher.Wait wait) {
        return UpdateControl.<Agent>noUpdate().rescheduleAfter(wait.delay());
      }
      if (joined instanceof LaunchBatcher.Member member) {
        // Recorded before the cloud call: a restarted operator repeats the same call and binds the same VMs.
        st.setLaunchBatch(new AgentLaunchBatch(member.token(), member.slot(), member.size()));
        st.setTlsBootstrap(new AgentTlsBootstrap(contexts.batchTokenHashFor(member.token())));
        return status.progress(agent, "Creating", "launching in a batch of " + member.size() + " VMs",
            AgentReconciler.NOW);
      }
    }
    VmObservation vm;
    if (cloud.getSpec().getMaxInstances() == null) {
      vm = launch(agent, cloud);
    } else {
      // The maxInstances check and the create are one step per Cloud.
      Launched launched = gate.serialised(cloud, () -> {
        Optional<String> full = capacity.fullFor(cloud, inventory.list(cloud), st.getClientToken());
        return full.isPresent() ? new Launched(null, full.get()) : new Launched(launch(agent, cloud), null);
      });
      if (launched.vm() == null) {
        return status.degraded(agent, AgentReasons.CLOUD_FULL, launched.full(), AgentReconciler.CLOUD_RETRY);
      }
      vm = launched.vm();
    }
    return bound(agent, cloud, vm, contexts.tokenHashFor(st.getClientToken()));
  }

  /** Records the Agent's VM (and moves it to Booting): the first thing done with a new VM. */
  private UpdateControl<Agent> bound(Agent agent, Cloud cloud, VmObservation vm, String tokenHash) {
    AgentStatus st = agent.getStatus();
    st.setInstanceId(vm.instanceId());
    st.setAddresses(new AgentAddresses(vm.publicAddress(), vm.privateAddress()));
    // Recorded with the VM: the address is the Agent's for life (spec.vpn, given once by its service).
    st.getAddresses().setVpn(agent.getSpec().getVpn() == null ? null : agent.getSpec().getVpn().getAddress());
    st.setVmCreatedAt(status.now().toString());
    if (st.getTlsBootstrap() == null || st.getTlsBootstrap().getKeySha256() == null) {
      // Also for an Agent whose token an older operator recorded without this (same derived token).
      AgentTlsBootstrap tls = new AgentTlsBootstrap(tokenHash);
      tls.setExpiresAt(status.now().plus(settings.agentHealthTimeout()).toString());
      st.setTlsBootstrap(tls);
    }
    st.setCaFingerprint(caFingerprint);
    st.setPhase(AgentPhase.Booting);
    LOG.info("Agent {}/{}: VM {} created", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
        vm.instanceId());
    metrics.created(cloud.getMetadata().getName());
    events.normal(agent, "VmCreated", "VM " + vm.instanceId() + " created on Cloud " + cloud.getMetadata().getName()
        + " (attempt " + st.getAttempts() + ")");
    return status.progress(agent, "Booting", "VM " + vm.instanceId() + " booting", AgentReconciler.BOOT_POLL);
  }

  /**
   * An Agent with a recorded batch: wait for the other members' records, make the batch's one call
   * (one member's reconcile does), then take this Agent's VM or, when the batch has none for it,
   * forget the batch and join the next.
   */
  private UpdateControl<Agent> batched(Agent agent, Cloud cloud, IaasDriver driver, boolean mayLaunch) {
    AgentStatus st = agent.getStatus();
    String token = st.getLaunchBatch().getToken();
    LaunchBatcher.Step step = batcher.step(agent, () -> recordedMembers(token));
    if (step instanceof LaunchBatcher.Wait wait) {
      return UpdateControl.<Agent>noUpdate().rescheduleAfter(wait.delay());
    }
    if (step instanceof LaunchBatcher.Failed failed) {
      if (AgentReasons.CLOUD_FULL.equals(failed.error().reason())) {
        return status.degraded(agent, AgentReasons.CLOUD_FULL, failed.error().getMessage(), failed.delay());
      }
      throw failed.error();
    }
    if (step instanceof LaunchBatcher.Missed missed) {
      st.setLaunchBatch(null);
      st.setTlsBootstrap(new AgentTlsBootstrap(contexts.tokenHashFor(st.getClientToken())));
      return status.progress(agent, "Creating", missed.why() + "; joining the next batch", AgentReconciler.NOW);
    }
    if (step instanceof LaunchBatcher.Bound b) {
      return bound(agent, cloud, b.vm(), contexts.batchTokenHashFor(token));
    }
    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) step;
    if (!mayLaunch) {
      throw new IllegalStateException("launch batch " + token + " asked for a second call in one pass");
    }
    launchBatch(agent, cloud, driver, launch);
    return batched(agent, cloud, driver, false);
  }

  private void launchBatch(Agent agent, Cloud cloud, IaasDriver driver, LaunchBatcher.Launch launch) {
    String token = launch.token();
    try {
      List<VmObservation> vms = cloud.getSpec().getMaxInstances() == null
          ? driver.createBatch(batchRequest(agent, token, launch.members().size()))
          // The room check and the create are one step per Cloud, as for single VMs.
          : gate.serialised(cloud, () -> {
            List<VmObservation> live = inventory.list(cloud);
            boolean started = live.stream().anyMatch(vm -> token.equals(vm.tags().get(VmTags.LAUNCH_BATCH)));
            int room = started ? launch.members().size() : capacity.room(cloud, live);
            if (room <= 0) {
              throw new CloudException(AgentReasons.CLOUD_FULL, "Cloud " + cloud.getMetadata().getName()
                  + " is full: " + cloud.getSpec().getMaxInstances() + " instances", true);
            }
            return driver.createBatch(batchRequest(agent, token, Math.min(room, launch.members().size())));
          });
      vms.forEach(vm -> inventory.recordCreated(cloud, vm));
      Set<String> boundIds = allAgents.all().stream()
          .filter(a -> a.getStatus() != null && a.getStatus().getInstanceId() != null)
          .map(a -> a.getStatus().getInstanceId()).collect(Collectors.toSet());
      BatchBinding.Result result = BatchBinding.bind(launch.members(), vms, boundIds);
      batcher.launched(token, result);
      LOG.info("Cloud {}: launch batch {} started {} VM(s) for {} Agent(s) ({} missed, {} spare)",
          cloud.getMetadata().getName(), token, vms.size(), launch.members().size(), result.missed().size(),
          result.spare().size());
      events.normal(agent, "VmBatchLaunched", "one call started " + vms.size() + " VM(s) for "
          + launch.members().size() + " Agent(s) on Cloud " + cloud.getMetadata().getName());
    } catch (CloudException e) {
      batcher.failed(token, e, e.retryable() ? AgentReconciler.CLOUD_RETRY : Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      batcher.failed(token, new CloudException("BatchLaunchFailed", String.valueOf(e.getMessage()), true, e),
          AgentReconciler.CLOUD_RETRY);
      throw e;
    }
  }

  private BatchRequest batchRequest(Agent agent, String token, int count) {
    Map<String, String> tags = tags(agent);
    // Who the VM serves is decided after launch: these come with the binding (label).
    tags.remove(VmTags.AGENT);
    tags.remove(VmTags.AGENT_UID);
    String service = tags.getOrDefault(VmTags.SERVICE, "");
    return new BatchRequest(token, count, service + "-" + agent.getSpec().getRole() + "-batch", tags,
        agent.getSpec().getInstanceType(), contexts.batchContextFor(agent, token));
  }

  /** (uid, slot) of every cached Agent that records this batch and no VM. */
  private List<BatchBinding.Member> recordedMembers(String token) {
    return allAgents.all().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getLaunchBatch() != null
            && token.equals(a.getStatus().getLaunchBatch().getToken()) && a.getStatus().getInstanceId() == null)
        .map(a -> new BatchBinding.Member(a.getMetadata().getUid(),
            Objects.requireNonNullElse(a.getStatus().getLaunchBatch().getSlot(), 0)))
        .toList();
  }

  /**
   * Booting or later, a batch VM not yet labelled: gives it its Agent's own tags (name, uid, client
   * token), after the binding is recorded; marks the status (written at the pass's end). Best effort:
   * the binding in status.instanceId is what counts (the orphan sweep and the release match it), so a
   * throttled call is tried again on a later pass instead of holding the boot. One CreateTags per VM
   * shares EC2's mutating bucket (200, then 5/s): 1,000 batch VMs waited 160 s for their labels.
   */
  void labelBatchVm(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    AgentLaunchBatch batch = st.getLaunchBatch();
    if (batch == null || Boolean.TRUE.equals(batch.getLabelled()) || st.getInstanceId() == null) {
      return;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(VmTags.AGENT, agent.getMetadata().getName());
    tags.put(VmTags.AGENT_UID, agent.getMetadata().getUid());
    tags.put(VmTags.CLIENT_TOKEN, st.getClientToken());
    tags.put("Name", agent.getMetadata().getName());
    try {
      drivers.forCloud(cloud).label(st.getInstanceId(), tags);
      batch.setLabelled(true);
    } catch (CloudException e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.debug("Agent {}/{}: labelling VM {} deferred: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), st.getInstanceId(), e.getMessage());
    }
  }

  private record Launched(VmObservation vm, String full) {}

  private VmObservation launch(Agent agent, Cloud cloud) {
    VmObservation vm = drivers.forCloud(cloud).create(new VmRequest(agent.getStatus().getClientToken(),
        agent.getMetadata().getName(), tags(agent), agent.getSpec().getInstanceType(), contexts.contextFor(agent)));
    inventory.recordCreated(cloud, vm);
    return vm;
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
    if (agent.getSpec().getVpn() != null || io.conpaas.reconcilers.vpn.ApplicationRelay.isRelay(agent)) {
      // A VM on an application's private network (a local Cloud gives it a network namespace of its own),
      // or its relay (which the others reach on its own address, like a VM's).
      tags.put(VmTags.VPN, "true");
    }
    return tags;
  }
}
