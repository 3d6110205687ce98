package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.model.CloudCapacity;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pending and Creating steps: the client token goes to status before any cloud call (a crash
 * cannot hide a VM), then the VM is created idempotently with it, within the Cloud's
 * maxInstances and never on a Cloud being deleted.
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

  VmLaunch(DriverRegistry drivers, CloudInventory inventory, AgentContextFactory contexts, String caFingerprint,
      OperatorSettings settings, VmMetrics metrics, EventRecorder events, AgentStatusWriter status) {
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
  UpdateControl<Agent> recordToken(Agent agent) {
    AgentStatus st = agent.getStatus();
    int attempt = (st.getAttempts() == null ? 0 : st.getAttempts()) + 1;
    int serial = (st.getVmSerial() == null ? 0 : st.getVmSerial()) + 1;
    // Deterministic per (Agent, VM): a stale cache read repeats the same token, never a new one.
    st.setClientToken(agent.getMetadata().getUid() + "-" + serial);
    // The VM's bootstrap token derives from the client token; only its hash is kept.
    st.setTlsBootstrap(new AgentTlsBootstrap(contexts.tokenHashFor(st.getClientToken())));
    st.setVmSerial(serial);
    st.setAttempts(attempt);
    st.setInstanceId(null);
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
    st.setInstanceId(vm.instanceId());
    st.setAddresses(new AgentAddresses(vm.publicAddress(), vm.privateAddress()));
    // Recorded with the VM: the address is the Agent's for life (spec.vpn, given once by its service).
    st.getAddresses().setVpn(agent.getSpec().getVpn() == null ? null : agent.getSpec().getVpn().getAddress());
    st.setVmCreatedAt(status.now().toString());
    if (st.getTlsBootstrap() == null || st.getTlsBootstrap().getKeySha256() == null) {
      // Also for an Agent whose token an older operator recorded without this (same derived token).
      AgentTlsBootstrap tls = new AgentTlsBootstrap(contexts.tokenHashFor(st.getClientToken()));
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
    if (agent.getSpec().getVpn() != null) {
      // A VM on an application's private network (a local Cloud gives it a network namespace of its own).
      tags.put(VmTags.VPN, "true");
    }
    return tags;
  }
}
