package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local VMs in network namespaces of their own (root only): each gets its own address on the
 * Cloud's underlay, listens there, reaches the other VM over the Cloud's bridge, and its namespace,
 * veth and the Cloud's bridge namespace are gone once its VMs are terminated.
 */
class LocalNetworkIsolationTest {
  /** A stand-in agent: listens on all its addresses, writes its port where the driver says, answers its name. */
  private static final String SERVER = """
      import os, socket, sys
      s = socket.socket(); s.bind((os.environ['CONPAAS_AGENT_BIND'], 0)); s.listen(8)
      open(os.environ['CONPAAS_AGENT_PORT_FILE'], 'w').write(str(s.getsockname()[1]))
      while True:
          c, _ = s.accept(); c.sendall(os.environ['CONPAAS_AGENT_BIND'].encode() + b' ' + sys.argv[1].encode()); c.close()
      """;
  private static final AgentLauncher STAND_IN = contextFile -> List.of("python3", "-c", SERVER, contextFile.toString());

  @TempDir
  Path workDir;
  private LocalDriver driver;

  @BeforeEach
  void rootOnly() {
    assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
  }

  @AfterEach
  void terminateAll() throws InterruptedException {
    if (driver == null) {
      return;
    }
    driver.terminate(driver.list("c1").stream().map(VmObservation::instanceId).toList());
    // Listing reaps what terminate left (processes that took a moment to die), namespaces included.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!driver.list("c1").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static VmRequest request(String token, Map<String, String> extraTags) {
    Map<String, String> tags = new java.util.HashMap<>(Map.of(VmTags.CLUSTER, "c1", VmTags.AGENT, token));
    tags.putAll(extraTags);
    return new VmRequest(token, token, tags, null, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void isolatedVmsHaveTheirOwnAddressesReachEachOtherAndLeaveNothingBehind() throws Exception {
    driver = new LocalDriver(workDir, STAND_IN, new LocalIsolation(false, false), Map.of("PATH", "/usr/bin:/bin"),
        new LocalNetworkSettings(true, "10.213.250.0/29"));
    VmObservation one = driver.create(request("one", Map.of()));
    VmObservation two = driver.create(request("two", Map.of()));
    String addrOne = one.privateAddress();
    String addrTwo = two.privateAddress();
    assertThat(addrOne).isEqualTo("10.213.250.2");
    assertThat(addrTwo).isEqualTo("10.213.250.3");
    // The host reaches each at its own address (through the host's veth into the Cloud's bridge).
    VmObservation up = awaitEndpoint("one");
    assertThat(up.agentEndpoint()).startsWith(addrOne + ":");
    assertThat(read(up.agentEndpoint())).contains(one.instanceId()).startsWith("0.0.0.0");
    VmObservation upTwo = awaitEndpoint("two");
    // One VM reaches the other over the underlay, from inside its namespace.
    String port = upTwo.agentEndpoint().substring(upTwo.agentEndpoint().indexOf(':') + 1);
    String fromOne = run("ip", "netns", "exec", "cpa-" + one.instanceId(), "python3", "-c",
        "import socket; s = socket.create_connection(('" + addrTwo + "', " + port + "), timeout=3); print(s.recv(100).decode())");
    assertThat(fromOne.strip()).contains(two.instanceId());
    assertThat(run("ip", "netns", "identify", Long.toString(pidOf(one.instanceId()))).strip())
        .isEqualTo("cpa-" + one.instanceId());

    driver.terminate(List.of(one.instanceId(), two.instanceId()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!driver.list("c1").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(driver.list("c1")).isEmpty();
    String namespaces = run("ip", "netns", "list");
    assertThat(namespaces).doesNotContain("cpa-" + one.instanceId()).doesNotContain("cpa-" + two.instanceId());
    Underlay u = Underlay.of("10.213.250.0/29", workDir.toAbsolutePath().normalize().toString());
    assertThat(namespaces).doesNotContain(u.underlayNamespace());
    assertThat(run("ip", "-o", "link", "show")).doesNotContain(u.hostVeth());
  }

  @Test
  void aVpnVmIsIsolatedEvenWithoutTheCloudOption() throws Exception {
    driver = new LocalDriver(workDir, STAND_IN, new LocalIsolation(false, false), Map.of("PATH", "/usr/bin:/bin"),
        new LocalNetworkSettings(false, "10.213.251.0/29"));
    VmObservation plain = driver.create(request("plain", Map.of()));
    VmObservation vpn = driver.create(request("vpn", Map.of(VmTags.VPN, "true")));
    assertThat(plain.privateAddress()).isEqualTo("127.0.0.1");
    assertThat(vpn.privateAddress()).isEqualTo("10.213.251.2");
    assertThat(read(awaitEndpoint("plain").agentEndpoint())).startsWith("127.0.0.1");
    assertThat(read(awaitEndpoint("vpn").agentEndpoint())).startsWith("0.0.0.0");
  }

  @Test
  void aBadNetworkIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new LocalDriver(workDir, STAND_IN, new LocalIsolation(false, false),
        new LocalNetworkSettings(true, "10.213.250.1/24"))).hasMessageContaining("spec.local.network");
  }

  private VmObservation awaitEndpoint(String token) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (VmObservation o : driver.list("c1")) {
        if (o.clientToken().equals(token) && o.state() == VmState.RUNNING && o.agentEndpoint() != null) {
          return o;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no endpoint for " + token);
  }

  private long pidOf(String instanceId) {
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(instanceId)
        && c.contains("python3")).orElse(false)).findFirst().orElseThrow().pid();
  }

  private static String read(String endpoint) throws Exception {
    int colon = endpoint.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))),
          3000);
      s.setSoTimeout(3000);
      try (InputStream in = s.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readNBytes(1 << 16);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }
}
