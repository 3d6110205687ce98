package io.conpaas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.iaas.VmTags;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One namespace, one simulated Cloud and one HelloWorldService "hw" for the sweep and the fault
 * tests, with the invariants every recovery must reach: the desired state, exactly one live VM per
 * Agent (no duplicate), no live VM without an Agent (no orphan), no Agent lost or needlessly replaced.
 */
final class SweepWorld {
  static final String SERVICE = "hw";

  final KubernetesClient client = DevCluster.client();
  final String ns;
  final String cloud;
  final Path workDir;

  SweepWorld(String prefix, Path workDir, Consumer<SimulatedCloudSpec> cloudSettings) {
    this.ns = TestNamespace.create(client, prefix);
    this.cloud = "sim-" + ns;
    this.workDir = workDir;
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(cloud).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.SIMULATED);
    SimulatedCloudSpec sim = new SimulatedCloudSpec();
    sim.setBootSeconds(0.5);
    sim.setDescribeLagSeconds(0.5);
    // A port of this world's own: several ITs' simulated agents may share the machine's loopback.
    sim.setAgentPort(20000 + Math.floorMod(ns.hashCode(), 20000));
    cloudSettings.accept(sim);
    spec.setSimulated(sim);
    c.setSpec(spec);
    client.resource(c).create();
    client.resource(Fixtures.application(ns, "app", cloud)).create();
  }

  /** A started operator, ready (or already ended, for a crash point hit during its start). */
  OperatorProcess operator(Path log, Map<String, String> extra) {
    OperatorProcess op = OperatorProcess.start(ns, workDir, log, extra);
    try {
      op.awaitReady();
    } catch (RuntimeException e) {
      op.close(); // never left running beside the next one
      throw e;
    }
    return op;
  }

  HelloWorldService service() {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName(SERVICE).get();
  }

  List<Agent> agents() {
    return client.resources(Agent.class).inNamespace(ns).list().getItems();
  }

  /** Live VMs of this world's cluster id, from the cloud's own journal. */
  List<SimulatedVms.Vm> liveVms() {
    return SimulatedVms.live(workDir.resolve(cloud).resolve("vms.journal")).stream()
        .filter(vm -> ("it-" + ns).equals(vm.tags().get(VmTags.CLUSTER))).toList();
  }

  Set<String> instanceIds() {
    return agents().stream().map(a -> a.getStatus() == null ? null : a.getStatus().getInstanceId())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Makes the spec say nodes (0: no service) and message; does not wait. */
  void apply(int nodes, String message) {
    HelloWorldService s = service();
    if (nodes == 0) {
      if (s != null) {
        client.resource(s).delete();
      }
    } else if (s == null) {
      client.resource(Fixtures.helloWorld(ns, SERVICE, "app", nodes, message)).create();
    } else {
      client.resources(HelloWorldService.class).inNamespace(ns).withName(SERVICE).edit(x -> {
        x.getSpec().getAgents().setNodes(nodes);
        x.getSpec().setMessage(message);
        return x;
      });
    }
  }

  /** Asserts the converged state for nodes (0: gone) and message, and the VM invariants. */
  void assertConverged(int nodes, String message) {
    HelloWorldService s = service();
    List<Agent> agents = agents();
    List<SimulatedVms.Vm> vms = liveVms();
    if (nodes == 0) {
      assertThat(s).as("service gone").isNull();
      assertThat(agents).as("Agents gone").isEmpty();
      assertThat(vms).as("no VM left (orphans)").isEmpty();
      return;
    }
    assertThat(s.getStatus()).as("service status").isNotNull();
    assertThat(s.getStatus().getObservedGeneration()).as("service status of the current spec")
        .isEqualTo(s.getMetadata().getGeneration());
    assertThat(s.getStatus().getState()).as("service state").isEqualTo(ServiceState.RUNNING);
    assertThat(s.getStatus().getReady()).as("ready").isEqualTo(nodes + "/" + nodes);
    assertThat(agents).as("Agents").hasSize(nodes).allSatisfy(a -> {
      assertThat(a.getMetadata().getDeletionTimestamp()).as("Agent " + a.getMetadata().getName() + " deleting")
          .isNull();
      assertThat(a.getStatus().getPhase()).as("phase of " + a.getMetadata().getName()).isEqualTo(AgentPhase.Running);
      assertThat(a.getSpec().getConfig()).as("config of " + a.getMetadata().getName())
          .containsEntry("message", message);
      assertThat(a.getStatus().getAppliedConfigHash()).as("config applied by " + a.getMetadata().getName())
          .isEqualTo(io.conpaas.agent.api.ConfigHash.of(a.getSpec().getConfig()));
    });
    Map<String, List<SimulatedVms.Vm>> byAgent = vms.stream().collect(Collectors.groupingBy(
        vm -> String.valueOf(vm.agentUid())));
    assertThat(byAgent.values()).as("duplicate VMs (one Agent, several live VMs)")
        .allSatisfy(l -> assertThat(l).hasSize(1));
    Set<String> live = vms.stream().map(SimulatedVms.Vm::instanceId).collect(Collectors.toCollection(TreeSet::new));
    assertThat(live).as("live VMs = the Agents' VMs (an extra one is an orphan)").isEqualTo(instanceIds());
    for (Agent a : agents) {
      SimulatedVms.Vm vm = vms.stream().filter(v -> v.instanceId().equals(a.getStatus().getInstanceId()))
          .findFirst().orElseThrow();
      assertThat(vm.agentUid()).as("VM of " + a.getMetadata().getName() + " tagged for it")
          .isEqualTo(a.getMetadata().getUid());
    }
  }

  /** Deletes the service and the Cloud while an operator still runs (else the Cloud stays Terminating). */
  void cleanUp() {
    apply(0, null);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> service() == null && agents().isEmpty());
    client.resources(Cloud.class).withName(cloud).delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> client.resources(Cloud.class).withName(cloud).get() == null);
  }
}
