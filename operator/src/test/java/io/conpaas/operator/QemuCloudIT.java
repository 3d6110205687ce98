package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.QemuCloudSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qemu Cloud end to end: real API server, real operator, and agents on real VMs booted by
 * qemu from the image vm-image/build.sh makes (built once, then cached by content hash). Boots
 * are slow under TCG, so the timeouts are generous and the test prints how long RUNNING took.
 */
class QemuCloudIT {
  private static final Duration IMAGE_BUILD = Duration.ofMinutes(40);
  private static final Duration BOOT = Duration.ofMinutes(15);
  private static final Duration SETTLE = Duration.ofMinutes(3);
  private static final String APP = "vms";

  @TempDir
  static Path workDir;

  static KubernetesClient client;
  static String ns;
  static String cloudName;
  static Path image;
  static ConpaasOperator operator;
  static HttpsAgentClient agentClient;

  @BeforeAll
  static void buildImageAndStartOperator() throws Exception {
    image = buildImage();
    client = DevCluster.client();
    ns = TestNamespace.create(client, "qemu");
    cloudName = "qemu-" + ns;
    client.resource(qemuCloud(cloudName, image.toString())).create();
    // With the VPN on: the VMs' agents join it over the guest kernel's WireGuard (checked in the test).
    io.conpaas.api.v1alpha1.Application app = Fixtures.application(ns, APP, cloudName);
    io.conpaas.api.v1alpha1.VpnSpec vpn = new io.conpaas.api.v1alpha1.VpnSpec();
    vpn.setEnabled(true);
    app.getSpec().setVpn(vpn);
    client.resource(app).create();
    // TCG boots take minutes: the agent gets that long to answer before its VM is replaced.
    operator = TestOperator.start(TestOperator.settings(ns, workDir, BOOT, 3), TestOperator.localDrivers(workDir));
    agentClient = new HttpsAgentClient(operator.agentTls(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopOperator() {
    if (client == null) {
      return;
    }
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    await().atMost(SETTLE).until(() -> client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
    if (operator != null) {
      operator.close();
    }
    client.resources(Cloud.class).withName(cloudName).delete();
  }

  /** Runs vm-image/build.sh (helloworld, optimized) and returns the qcow2 it names. */
  static Path buildImage() throws IOException, InterruptedException {
    Path root = DevCluster.repoRoot();
    Path log = Files.createTempFile("vm-image-build", ".log");
    Process p = new ProcessBuilder("bash", root.resolve("vm-image/build.sh").toString(), "--services", "helloworld",
        "--optimize", "--agent-jar", TestOperator.agentJar().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(IMAGE_BUILD.toMinutes(), TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("vm-image/build.sh took longer than " + IMAGE_BUILD);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("vm-image/build.sh failed:\n" + out);
    }
    return out.lines().filter(l -> l.startsWith("qcow2: ")).map(l -> Path.of(l.substring(7).trim())).findFirst()
        .orElseThrow(() -> new IllegalStateException("vm-image/build.sh named no image:\n" + out));
  }

  static Cloud qemuCloud(String name, String imagePath) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.QEMU);
    QemuCloudSpec qemu = new QemuCloudSpec();
    qemu.setImage(imagePath);
    qemu.setMemoryMb(512);
    qemu.setCpus(1);
    // The VMs of the Cloud share a private network (a bridge in a namespace of the Cloud's own).
    qemu.setNetwork("bridge");
    spec.setQemu(qemu);
    c.setSpec(spec);
    return c;
  }

  @Test
  void aHelloWorldServiceRunsOnTwoVmsJoinedByKernelWireGuardSurvivesAnOperatorRestartScalesTo3And1AndDeletionLeavesNoQemu()
      throws IOException, InterruptedException {
    await().atMost(SETTLE).untilAsserted(() -> assertThat(ready(cloudName))
        .hasValueSatisfying(r -> {
          assertThat(r.getStatus()).isEqualTo("True");
          // The Cloud says which accelerator its VMs use.
          assertThat(r.getMessage()).containsPattern("qemu accelerator (kvm|tcg)");
        }));
    System.out.println("qemu Cloud Ready: " + ready(cloudName).map(Condition::getMessage).orElse(""));

    Instant created = Instant.now();
    client.resource(Fixtures.helloWorld(ns, "hw-vm", APP, 2, "Hello from a VM")).create();
    BootTimeline timeline = new BootTimeline();
    try {
      await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> {
        timeline.sample(created);
        return running("hw-vm", 2);
      });
    } finally {
      timeline.print();
    }
    System.out.println("QemuCloudIT: 2 agents on qemu VMs RUNNING after "
        + Duration.between(created, Instant.now()).toSeconds() + " s");

    List<Agent> agents = agents("hw-vm");
    assertThat(agents).hasSize(2).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running));
    Set<String> first = agents.stream().map(a -> a.getStatus().getInstanceId()).collect(Collectors.toSet());
    assertThat(first).hasSize(2).allMatch(id -> id.startsWith("qemu-"));
    Set<String> instances = first;
    for (Agent a : agents) {
      // The operator reaches each agent over mutual TLS through the loopback port qemu forwards.
      assertThat(a.getStatus().getAgentEndpoint()).startsWith("127.0.0.1:");
      assertThat(agentClient.healthy(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a))).isTrue();
      assertThat(qemuFor(a.getStatus().getInstanceId())).isPresent();
      assertThat(vmDir(a.getStatus().getInstanceId()).resolve("overlay.qcow2")).exists();
    }
    // The agent inside really came up from the document on the seed disk (its console says so), and
    // that document carries a bootstrap token, never a private key (the agent made its own).
    assertThat(console(agents.get(0).getStatus().getInstanceId())).contains("context from the qemu seed disk");
    for (Agent a : agents) {
      String seed = Files.readString(vmDir(a.getStatus().getInstanceId()).resolve("context.img"),
          StandardCharsets.ISO_8859_1);
      assertThat(seed).contains("bootstrapToken").doesNotContain("PRIVATE KEY");
      assertThat(a.getStatus().getTlsBootstrap().getKeySha256()).isNotBlank();
    }

    // The VMs of the Cloud share a private network: each has its own 10.77.x.y (its private address, which
    // other agents of the Cloud use), and on the Cloud's bridge both answer on their agent port.
    List<String> privateAddresses = agents.stream().map(a -> a.getStatus().getAddresses().getPrivateAddress()).toList();
    assertThat(privateAddresses).doesNotHaveDuplicates().allMatch(a -> a.startsWith("10.77."));
    String netns = io.conpaas.iaas.qemu.QemuDriver.networkNamespace(workDir.resolve(cloudName));
    assertThat(netns()).contains(netns);
    for (Agent a : agents) {
      assertThat(console(a.getStatus().getInstanceId()))
          .contains("private network: " + a.getStatus().getAddresses().getPrivateAddress() + "/16");
    }
    assertThat(reachableOnTheCloudBridge(netns, privateAddresses)).as("agent ports reached on the bridge").isTrue();

    // The application's VPN runs on the guest kernel's WireGuard (no wireguard-go in the image), and the
    // two VMs reach each other over it: each agent has received WireGuard traffic (handshakes and
    // keepalives) from its one peer, counted by its own `wg show transfer`, and misses none.
    Instant vpnStart = Instant.now();
    await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(agents("hw-vm"))
        .hasSize(2).allSatisfy(a -> {
          assertThat(a.getStatus().getAddresses().getVpn()).startsWith("172.");
          assertThat(a.getStatus().getFacts())
              .containsEntry(io.conpaas.agent.api.VpnConfig.FACT_DATA_PLANE, "kernel")
              .containsEntry(io.conpaas.agent.api.VpnConfig.FACT_PEERS_HEARD, "1")
              .doesNotContainKey(io.conpaas.agent.api.VpnConfig.FACT_PEERS_DOWN);
        }));
    System.out.println("QemuCloudIT: both VMs on kernel WireGuard and heard from each other over the VPN "
        + Duration.between(vpnStart, Instant.now()).toSeconds() + " s after the bridge check; facts: "
        + agents("hw-vm").stream().map(a -> a.getStatus().getFacts().toString()).toList());

    // An operator restart adopts the running VMs: same instances, same qemu processes, no new VM.
    java.util.Map<String, Long> pids = instances.stream()
        .collect(Collectors.toMap(id -> id, id -> qemuFor(id).orElseThrow().pid()));
    operator.close();
    operator = TestOperator.start(TestOperator.settings(ns, workDir, BOOT, 3), TestOperator.localDrivers(workDir));
    agentClient = new HttpsAgentClient(operator.agentTls(), Duration.ofSeconds(5));
    await().atMost(SETTLE).pollDelay(Duration.ofSeconds(3)).until(() -> running("hw-vm", 2));
    assertThat(agents("hw-vm")).extracting(a -> a.getStatus().getInstanceId()).containsExactlyInAnyOrderElementsOf(instances);
    instances.forEach(id -> assertThat(qemuFor(id).map(ProcessHandle::pid)).contains(pids.get(id)));
    assertThat(vmDirs()).hasSize(2);

    // Scale to 3 (one more VM boots) and back to 1.
    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-vm")
        .edit(s -> { s.getSpec().getAgents().setNodes(3); return s; });
    await().atMost(BOOT).pollInterval(Duration.ofSeconds(2)).until(() -> running("hw-vm", 3));
    assertThat(vmDirs()).hasSize(3);
    Set<String> allThree = agents("hw-vm").stream().map(a -> a.getStatus().getInstanceId()).collect(Collectors.toSet());
    assertThat(allThree).containsAll(instances).hasSize(3);

    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-vm")
        .edit(s -> { s.getSpec().getAgents().setNodes(1); return s; });
    await().atMost(SETTLE).until(() -> agents("hw-vm").size() == 1 && running("hw-vm", 1));
    String kept = agents("hw-vm").get(0).getStatus().getInstanceId();
    List<String> dropped = allThree.stream().filter(id -> !id.equals(kept)).toList();
    assertThat(dropped).hasSize(2);
    await().atMost(SETTLE).untilAsserted(() -> dropped.forEach(id -> {
      assertThat(qemuFor(id)).isEmpty();
      assertThat(vmDir(id)).doesNotExist();
    }));
    assertThat(qemuFor(kept)).isPresent();

    Set<String> everyVm = allThree;
    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-vm").delete();
    await().atMost(SETTLE).until(() -> client.resources(HelloWorldService.class).inNamespace(ns)
        .withName("hw-vm").get() == null);
    await().atMost(SETTLE).untilAsserted(() -> {
      assertThat(everyVm).allSatisfy(id -> assertThat(qemuFor(id)).isEmpty());
      assertThat(overlays()).isEmpty();
      // The Cloud's network namespace (its bridge and taps) went with its last VM.
      assertThat(netns()).doesNotContain(netns);
    });
  }

  /** Network namespaces on this host (ip netns list). */
  private static String netns() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  /**
   * Opens a TCP connection to each address's agent port from inside the Cloud's namespace, with the
   * bridge holding 10.77.0.1 (the index the driver leaves free) for the duration of the check.
   */
  private static boolean reachableOnTheCloudBridge(String netns, List<String> addresses)
      throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder("set -e; ip addr add 10.77.0.1/16 dev cpqbr0; trap 'ip addr del 10.77.0.1/16 dev cpqbr0' EXIT; ");
    // Each try is bounded; a TCG guest starved by a loaded host may take seconds to answer ARP and SYN.
    for (String address : addresses) {
      script.append("for i in $(seq 1 12); do if timeout 10 bash -c 'exec 3<>/dev/tcp/").append(address)
          .append("/5555'; then echo reached ").append(address).append("; break; else echo try $i: no answer from ")
          .append(address).append("; fi; done; ");
    }
    Process p = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "bash", "-c", script.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    System.out.println("QemuCloudIT bridge check: " + out.strip());
    return done && p.exitValue() == 0 && addresses.stream().allMatch(a -> out.contains("reached " + a));
  }

  @Test
  void aCloudWhoseImageIsMissingIsNotReadyAndNamesTheFile() {
    String name = "qemu-missing-" + ns;
    String missing = workDir.resolve("no-such-image.qcow2").toString();
    client.resource(qemuCloud(name, missing)).create();
    try {
      await().atMost(SETTLE).untilAsserted(() -> assertThat(ready(name)).hasValueSatisfying(r -> {
        assertThat(r.getStatus()).isEqualTo("False");
        assertThat(r.getReason()).isEqualTo("ImageUnusable");
        assertThat(r.getMessage()).contains(missing);
      }));
    } finally {
      client.resources(Cloud.class).withName(name).delete();
    }
  }

  /**
   * When each agent passed each step, seen from the host, in seconds after the service was made:
   * VM created (the qemu process's start time), guest booted (the boot helper found its document:
   * console), agent started (it listens: console), TLS bootstrap done (the key recorded in status),
   * configured (Running); sampled every 200 ms. The operator's share is everything but guest boot and
   * agent start: service → qemu started, agent listening → bootstrap done (the operator's health poll
   * and the bootstrap calls, which include the guest agent's own answers), bootstrap → Running.
   */
  static final class BootTimeline {
    static final String CREATED = "1 vm created";
    static final String BOOTED = "2 guest booted (context found)";
    static final String LISTENING = "3 agent started (listening)";
    static final String BOOTSTRAPPED = "4 tls bootstrap done";
    static final String RUNNING = "5 configured (Running)";
    private final java.util.Map<String, java.util.Map<String, Long>> seen = new java.util.TreeMap<>();

    void sample(Instant start) {
      long at = Duration.between(start, Instant.now()).toMillis();
      for (Agent a : agents("hw-vm")) {
        var steps = seen.computeIfAbsent(a.getMetadata().getName(), k -> new java.util.LinkedHashMap<>());
        var st = a.getStatus();
        if (st == null) {
          continue;
        }
        if (st.getInstanceId() != null) {
          if (!steps.containsKey(CREATED)) {
            qemuFor(st.getInstanceId()).flatMap(p -> p.info().startInstant())
                .ifPresent(t -> steps.put(CREATED, Duration.between(start, t).toMillis()));
          }
          String console = console(st.getInstanceId());
          if (console.contains("context from")) {
            steps.putIfAbsent(BOOTED, at);
          }
          if (console.contains("listening on")) {
            steps.putIfAbsent(LISTENING, at);
          }
        }
        if (st.getTlsBootstrap() != null && st.getTlsBootstrap().getKeySha256() != null) {
          steps.putIfAbsent(BOOTSTRAPPED, at);
        }
        if (st.getPhase() == AgentPhase.Running) {
          steps.putIfAbsent(RUNNING, at);
        }
      }
    }

    void print() {
      seen.forEach((agent, steps) -> {
        StringBuilder b = new StringBuilder("QemuCloudIT timeline " + agent + " (s after create, sampled every 0.2 s):");
        steps.forEach((k, v) -> b.append(String.format(" [%s %.1f]", k, v / 1000.0)));
        System.out.println(b);
        if (steps.keySet().containsAll(List.of(CREATED, BOOTED, LISTENING, BOOTSTRAPPED, RUNNING))) {
          long create = steps.get(CREATED);
          long boot = steps.get(BOOTED) - create;
          long jvm = steps.get(LISTENING) - steps.get(BOOTED);
          long bootstrap = steps.get(BOOTSTRAPPED) - steps.get(LISTENING);
          long configure = steps.get(RUNNING) - steps.get(BOOTSTRAPPED);
          System.out.println(String.format("QemuCloudIT split %s: guest boot %.1f s, agent start %.1f s, "
              + "VM creation %.1f s, TLS bootstrap %.1f s, configure %.1f s; operator's share %.1f s (target <= 1 s)",
              agent, boot / 1000.0, jvm / 1000.0, create / 1000.0, bootstrap / 1000.0, configure / 1000.0,
              (create + bootstrap + configure) / 1000.0));
        }
      });
    }
  }

  private static Optional<Condition> ready(String cloud) {
    Cloud c = client.resources(Cloud.class).withName(cloud).get();
    return c == null || c.getStatus() == null ? Optional.empty()
        : c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst();
  }

  private static boolean running(String service, int agents) {
    HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(service).get();
    return s != null && s.getStatus() != null && s.getStatus().getState() == ServiceState.RUNNING
        && agents(service).size() == agents;
  }

  private static List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(ns).list().getItems().stream()
        .filter(a -> a.getMetadata().getName().startsWith(service + "-")).toList();
  }

  private static Path vmDir(String instanceId) {
    return workDir.resolve(cloudName).resolve(instanceId);
  }

  private static String console(String instanceId) {
    try {
      return Files.readString(vmDir(instanceId).resolve("console.log"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** A live qemu process of this VM (its command line carries the instance id). */
  private static Optional<ProcessHandle> qemuFor(String instanceId) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(instanceId)).orElse(false))
        .findFirst();
  }

  private static List<Path> vmDirs() throws IOException {
    try (Stream<Path> list = Files.list(workDir.resolve(cloudName))) {
      return list.filter(Files::isDirectory).toList();
    }
  }

  private static List<Path> overlays() throws IOException {
    Path dir = workDir.resolve(cloudName);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".qcow2")).toList();
    }
  }
}
