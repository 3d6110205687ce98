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
 * One namespace, one simulated Cloud and one service at a time for the sweep and the fault tests:
 * a HelloWorldService "hw" (nodes, message) or a PhpService "web" whose code is activated (see
 * {@link Shape}), with the invariants every recovery must reach: the desired state, exactly one live
 * VM per Agent (no duplicate), no live VM without an Agent (no orphan), no Agent lost or needlessly
 * replaced.
 */
final class SweepWorld {
  static final String SERVICE = "hw";
  static final String CODE_SERVICE = "web";
  /** The code versions the world's store holds for the PhpService (see {@link Shape#PHP_CODE}). */
  static final List<String> CODE_VERSIONS = List.of("v1", "v2");

  /** What a scenario's service is and what its value means. */
  enum Shape {
    /** HelloWorldService "hw": nodes agents; the value is spec.message. */
    HELLO,
    /**
     * PhpService "web" (stand-in roles on the simulated cloud): nodes agents, nodes - 2 backends plus
     * one web server and one proxy; the value is spec.code.activeVersion, which every backend and web
     * server must hold (uploaded by the operator from its store) and serve.
     */
    PHP_CODE
  }

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

  /**
   * Puts the code versions into the operator's store (what an upload leaves there; the sweep crashes
   * the activation, not the upload, whose receiver writes nothing but the store). Before each
   * creation of the PhpService: the operator forgets a service's code when the service is deleted.
   */
  private void storeCode() {
    io.conpaas.reconcilers.code.CodeStore store = new io.conpaas.reconcilers.code.CodeStore(
        workDir.resolve("code-store"), io.conpaas.agent.code.ArchiveLimits.defaults());
    for (String version : CODE_VERSIONS) {
      byte[] zip = zip("index.php", "<?php echo 'release " + version + "';");
      store.store(new io.conpaas.reconcilers.code.ServiceCode(ns, "PhpService", CODE_SERVICE), version,
          new java.io.ByteArrayInputStream(zip), zip.length, "sweep");
    }
  }

  private static byte[] zip(String name, String content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
      z.putNextEntry(new java.util.zip.ZipEntry(name));
      z.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      z.closeEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
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

  /**
   * A started operator of the chosen form (in this JVM, or the jar as a child JVM), ready or already
   * ended (a crash point hit during its start).
   */
  SweptOperator start(boolean inProcess, Path log, Map<String, String> extra) {
    return inProcess ? InProcessOperator.start(ns, workDir, log, extra) : operator(log, extra);
  }

  HelloWorldService service() {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName(SERVICE).get();
  }

  /** Every Agent of the namespace (both shapes' services). */
  List<Agent> agents() {
    return client.resources(Agent.class).inNamespace(ns).list().getItems();
  }

  private List<Agent> agentsOf(String service) {
    return agents().stream().filter(a -> a.getMetadata().getLabels() != null
        && service.equals(a.getMetadata().getLabels().get(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE)))
        .toList();
  }

  io.conpaas.api.v1alpha1.PhpService codeService() {
    return client.resources(io.conpaas.api.v1alpha1.PhpService.class).inNamespace(ns).withName(CODE_SERVICE).get();
  }

  /** Makes the spec of shape's service say nodes (0: no service) and value; the other shape's service goes. */
  void apply(Shape shape, int nodes, String value) {
    if (shape == Shape.HELLO) {
      deleteCodeService();
      apply(nodes, value);
      return;
    }
    apply(0, null);
    io.conpaas.api.v1alpha1.PhpService s = codeService();
    if (nodes == 0) {
      deleteCodeService();
    } else if (s == null) {
      storeCode();
      io.conpaas.api.v1alpha1.PhpService php = Fixtures.php(ns, CODE_SERVICE, "app", nodes - 2);
      php.getSpec().setCode(codeSpec(value));
      client.resource(php).create();
    } else {
      client.resources(io.conpaas.api.v1alpha1.PhpService.class).inNamespace(ns).withName(CODE_SERVICE).edit(x -> {
        x.getSpec().getBackend().setNodes(nodes - 2);
        x.getSpec().setCode(codeSpec(value));
        return x;
      });
    }
  }

  private void deleteCodeService() {
    io.conpaas.api.v1alpha1.PhpService s = codeService();
    if (s != null) {
      client.resource(s).delete();
    }
  }

  private static io.conpaas.api.v1alpha1.CodeSpec codeSpec(String activeVersion) {
    io.conpaas.api.v1alpha1.CodeSpec code = new io.conpaas.api.v1alpha1.CodeSpec();
    code.setActiveVersion(activeVersion);
    return code;
  }

  /** Asserts the converged state of shape's service (and that the other is gone) and the VM invariants. */
  void assertConverged(Shape shape, int nodes, String value) {
    if (shape == Shape.HELLO) {
      assertThat(codeService()).as("no PhpService").isNull();
      assertThat(agentsOf(CODE_SERVICE)).as("no Agent of the PhpService").isEmpty();
      assertConverged(nodes, value);
      return;
    }
    assertThat(service()).as("no HelloWorldService").isNull();
    assertThat(agentsOf(SERVICE)).as("no Agent of the HelloWorldService").isEmpty();
    io.conpaas.api.v1alpha1.PhpService s = codeService();
    List<Agent> agents = agentsOf(CODE_SERVICE);
    if (!serviceSettled(s, agents, nodes)) {
      return;
    }
    assertThat(agents).as("Agents").hasSize(nodes).allSatisfy(a -> {
      String name = a.getMetadata().getName();
      assertThat(a.getMetadata().getDeletionTimestamp()).as("Agent " + name + " deleting").isNull();
      assertThat(a.getStatus().getPhase()).as("phase of " + name).isEqualTo(AgentPhase.Running);
      assertThat(a.getStatus().getAppliedConfigHash()).as("config applied by " + name)
          .isEqualTo(io.conpaas.agent.api.ConfigHash.of(a.getSpec().getConfig()));
      String role = a.getSpec().getRole();
      if (!"proxy".equals(role)) {
        assertThat(a.getSpec().getConfig()).as("active version in the config of " + name)
            .containsEntry(io.conpaas.agent.api.WebRoleKeys.ACTIVE_VERSION, value);
        assertThat(a.getStatus().getCodeVersions()).as("code held by " + name).contains(value);
        assertThat(a.getStatus().getFacts()).as("version served by " + name)
            .containsEntry(io.conpaas.agent.api.WebRoleKeys.ACTIVE_VERSION, value);
      }
    });
    assertVms(agents());
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
    List<Agent> agents = agentsOf(SERVICE);
    if (!serviceSettled(s, agents, nodes)) {
      return;
    }
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
    assertVms(agents());
  }

  /**
   * What both shapes' services must show: gone with their Agents and VMs when nodes is 0 (false: nothing
   * more to check), else a RUNNING status of the current generation (true: the caller checks its Agents).
   */
  private boolean serviceSettled(io.conpaas.api.v1alpha1.ServiceResource<?> s, List<Agent> agents, int nodes) {
    if (nodes == 0) {
      assertThat(s).as("service gone").isNull();
      assertThat(agents).as("Agents gone").isEmpty();
      assertVms(agents());
      return false;
    }
    assertThat(s.getStatus()).as("service status").isNotNull();
    assertThat(s.getStatus().getObservedGeneration()).as("service status of the current spec")
        .isEqualTo(s.getMetadata().getGeneration());
    assertThat(s.getStatus().getState()).as("service state").isEqualTo(ServiceState.RUNNING);
    return true;
  }

  /** Exactly one live VM per Agent, each tagged for it, and no live VM without an Agent (agents: all of them). */
  private void assertVms(List<Agent> agents) {
    List<SimulatedVms.Vm> vms = liveVms();
    Map<String, List<SimulatedVms.Vm>> byAgent = vms.stream().collect(Collectors.groupingBy(
        vm -> String.valueOf(vm.agentUid())));
    assertThat(byAgent.values()).as("duplicate VMs (one Agent, several live VMs)")
        .allSatisfy(l -> assertThat(l).hasSize(1));
    Set<String> live = vms.stream().map(SimulatedVms.Vm::instanceId).collect(Collectors.toCollection(TreeSet::new));
    assertThat(live).as("live VMs = the Agents' VMs (an extra one is an orphan)").isEqualTo(agents.stream().map(a -> a.getStatus() == null ? null
        : a.getStatus().getInstanceId()).collect(Collectors.toCollection(TreeSet::new)));
    for (Agent a : agents) {
      SimulatedVms.Vm vm = vms.stream().filter(v -> v.instanceId().equals(a.getStatus().getInstanceId()))
          .findFirst().orElseThrow();
      assertThat(vm.agentUid()).as("VM of " + a.getMetadata().getName() + " tagged for it")
          .isEqualTo(a.getMetadata().getUid());
    }
  }

  /** Deletes the services and the Cloud while an operator still runs (else the Cloud stays Terminating). */
  void cleanUp() {
    apply(0, null);
    deleteCodeService();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> service() == null && codeService() == null && agents().isEmpty());
    client.resources(Cloud.class).withName(cloud).delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> client.resources(Cloud.class).withName(cloud).get() == null);
  }
}
