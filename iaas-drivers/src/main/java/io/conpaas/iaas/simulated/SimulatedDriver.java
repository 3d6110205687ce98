package io.conpaas.iaas.simulated;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated cloud (Cluster API's in-memory provider, with EC2's manners): VMs are records in
 * the operator's process whose agents answer the real agent protocol (see {@link SimulatedAgents}).
 * Each VM boots in bootTime, fails to boot with probability failureRate, stays out of list answers
 * for describeLag after its creation (EC2's eventual consistency), and each API is metered by an
 * EC2-style token bucket. VMs and their agents' keys survive an operator restart (journal).
 */
public final class SimulatedDriver implements IaasDriver, AutoCloseable {
  private final SimulatedConfig config;
  private final SimulatedCloud cloud;
  private final Clock clock;
  private final SimulatedAgents agents;
  private final Map<String, TokenBucket> buckets = new TreeMap<>();

  public SimulatedDriver(SimulatedConfig config, SimulatedClouds clouds, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.cloud = clouds.open(config.stateDir());
    SimulatedAgents agents = clouds.agents();
    config.apiRates().forEach((api, rate) -> buckets.put(api, new TokenBucket(api, rate, clock)));
    cloud.adopt(config.agentPort(), config.bootTime());
    this.agents = agents;
    cloud.liveIds().forEach(id -> agents.answerDelay(id, config.answerDelay()));
  }

  @Override
  public VmObservation create(VmRequest request) {
    buckets.get(SimulatedConfig.RUN_INSTANCES).take();
    SimulatedCloud.Created created = cloud.create(request, clock.instant(), config.failureRate(),
        config.agentPort(), config.bootTime());
    agents.answerDelay(created.vm().instanceId(), config.answerDelay());
    return observe(created.vm(), clock.instant());
  }

  /** RunInstances count per call, as EC2's driver asks for (see Ec2Driver.MAX_BATCH). */
  static final int MAX_BATCH = 100;

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  /**
   * One RunInstances token for the whole batch, as EC2 meters it. A token that started VMs already
   * answers them again (a repeated call after a crash or a lost answer doubles nothing).
   */
  @Override
  public List<VmObservation> createBatch(BatchRequest request) {
    buckets.get(SimulatedConfig.RUN_INSTANCES).take();
    Instant now = clock.instant();
    return cloud.createBatch(request, now, config.failureRate(), config.agentPort(), config.bootTime()).stream()
        .map(vm -> observe(vm, now)).toList();
  }

  /** CreateTags (metered as EC2's mutating calls, like TerminateInstances). */
  @Override
  public void label(String instanceId, Map<String, String> tags) {
    buckets.get(SimulatedConfig.TERMINATE_INSTANCES).take();
    cloud.label(instanceId, tags);
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    buckets.get(SimulatedConfig.DESCRIBE_INSTANCES).take();
    Instant now = clock.instant();
    Instant visibleBefore = now.minus(config.describeLag());
    return cloud.live(clusterId).stream()
        .filter(vm -> !vm.createdAt().isAfter(visibleBefore))
        .map(vm -> observe(vm, now))
        .toList();
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return;
    }
    buckets.get(SimulatedConfig.TERMINATE_INSTANCES).take();
    cloud.terminate(instanceIds, clock.instant());
  }

  @Override
  public void verify() {
    // Nothing to reach: the cloud is this process.
  }

  @Override
  public String statusNote() {
    return "simulated: " + cloud.liveCount() + " VMs, boot " + config.bootTime().toMillis() / 1000.0 + " s";
  }

  private VmObservation observe(SimulatedVm vm, Instant now) {
    Instant bootAt = vm.createdAt().plus(config.bootTime());
    boolean booted = !now.isBefore(bootAt);
    if (vm.failsToBoot()) {
      return new VmObservation(vm.instanceId(), vm.clientToken(), vm.name(), vm.tags(),
          booted ? VmState.FAILED : VmState.PENDING, vm.address(), vm.address(), null, vm.createdAt(),
          booted ? "simulated boot failure (failureRate " + config.failureRate() + ")" : null, false);
    }
    return new VmObservation(vm.instanceId(), vm.clientToken(), vm.name(), vm.tags(),
        booted ? VmState.RUNNING : VmState.PENDING, vm.address(), vm.address(),
        booted ? vm.address() + ":" + config.agentPort() : null, vm.createdAt());
  }

  @Override
  public void close() {
    // The VMs belong to the cloud, not to this driver: a rebuilt driver finds them served.
  }
}
