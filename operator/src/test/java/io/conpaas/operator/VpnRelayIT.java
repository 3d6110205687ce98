package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static io.conpaas.operator.testing.SplitUnderlays.fact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.agent.vpn.VpnRelay;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.NetnsProbe;
import io.conpaas.operator.testing.SplitUnderlays;
import io.conpaas.reconcilers.vpn.ServiceVpn;
import io.fabric8.kubernetes.api.model.Condition;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two local Clouds on underlay networks with no route between them (each agent's namespace holds
 * only its own Cloud's /24) and a relay (vpn.bootstrapNodes) that both reach: here a VpnRelay on the
 * host, which holds the first address of each underlay. A PhpService with its proxy and web server
 * on Cloud A and its backends on Cloud B serves pages through the VPN; the backends (one Cloud) talk
 * directly; with the relay down the service is Degraded naming the backends its proxy cannot reach,
 * and it recovers when the relay returns. Root only (namespaces). Set-up: {@link SplitUnderlays}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpnRelayIT {
  private static final String PAGE = "<?php echo $_SERVER['SERVER_ADDR'] . ' ' . $_SERVER['CONPAAS_AGENT'];";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private SplitUnderlays world;
  private String hostA;
  private String hostB;
  private int relayPort;
  private VpnRelay relay;

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    world = SplitUnderlays.create("vpnrelay", workDir);
    hostA = world.hostAddress(world.cloud(0));
    hostB = world.hostAddress(world.cloud(1));
    // The host holds hostA and hostB (its veths into the two underlays): one relay socket serves both.
    relay = VpnRelay.start(new InetSocketAddress("0.0.0.0", 0));
    relayPort = relay.port();
    world.startShop(List.of("udp://" + hostA + ":" + relayPort, "udp://" + hostB + ":" + relayPort), vpn -> { });
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void theProxyReachesBackendsOnAnotherUnderlayThroughTheRelayAndSaysWhenItCannot() throws Exception {
    world.steps().upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", PAGE)));
    world.steps().activate("v1");
    List<Agent> backends = world.agents("backend");
    Agent proxy = world.agents("proxy").get(0);
    assertThat(backends).hasSize(2).allMatch(b -> b.getSpec().getCloud().equals(world.cloud(1)));
    Set<String> vpnAddresses = new HashSet<>();
    backends.forEach(b -> vpnAddresses.add(b.getStatus().getAddresses().getVpn()));
    // No route between the underlays: the proxy's namespace cannot even send to a backend's.
    String proxyNs = NetnsProbe.namespaceOf(proxy.getStatus().getInstanceId());
    assertThat(NetnsProbe.call(proxyNs, backends.get(0).getStatus().getAddresses().getPrivateAddress(), 9, 1.0))
        .startsWith("FAIL").contains("unreachable");
    System.out.printf("VpnRelayIT: pages from both backends through the relay %d ms after the code was active%n",
        world.awaitPagesFrom(vpnAddresses, Duration.ofSeconds(90)));

    // Routes: proxy <-> backends relayed (both sides say so), backend <-> backend direct.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Agent> bs = world.agents("backend");
      Agent p = world.agents("proxy").get(0);
      for (Agent b : bs) {
        assertThat(fact(p, VpnConfig.FACT_RELAYED)).contains(fact(b, VpnConfig.FACT_PUBLIC_KEY));
        assertThat(fact(b, VpnConfig.FACT_RELAYED)).contains(fact(p, VpnConfig.FACT_PUBLIC_KEY));
        assertThat(fact(b, VpnConfig.FACT_PEERS_DOWN)).isEmpty();
        assertThat(fact(b, VpnConfig.FACT_RELAY)).isEqualTo(hostB + ":" + relayPort);
      }
      assertThat(fact(p, VpnConfig.FACT_RELAY)).isEqualTo(hostA + ":" + relayPort);
      assertThat(fact(bs.get(0), VpnConfig.FACT_RELAYED)).doesNotContain(fact(bs.get(1), VpnConfig.FACT_PUBLIC_KEY));
      assertThat(fact(bs.get(1), VpnConfig.FACT_RELAYED)).doesNotContain(fact(bs.get(0), VpnConfig.FACT_PUBLIC_KEY));
      assertThat(world.degraded()).isEmpty();
    });

    relay.close();
    long down = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertDegradedNaming(world, proxy, backends));
    System.out.printf("VpnRelayIT: Degraded %s %d ms after the relay stopped: %s%n", ServiceVpn.UNREACHABLE_REASON,
        (System.nanoTime() - down) / 1_000_000, world.degraded().map(Condition::getMessage).orElse(""));

    relay = VpnRelay.start(new InetSocketAddress("0.0.0.0", relayPort));
    long back = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(world.degraded()).isEmpty());
    world.awaitPagesFrom(vpnAddresses, Duration.ofSeconds(30));
    System.out.printf("VpnRelayIT: recovered %d ms after the relay returned%n", (System.nanoTime() - back) / 1_000_000);
  }

  /** The shop is Degraded VpnPeersUnreachable, saying the proxy cannot reach each backend (name and VPN address). */
  static void assertDegradedNaming(SplitUnderlays world, Agent proxy, List<Agent> backends) {
    Optional<Condition> d = world.degraded();
    assertThat(d).isPresent();
    assertThat(d.get().getReason()).isEqualTo(ServiceVpn.UNREACHABLE_REASON);
    assertThat(d.get().getMessage()).contains(proxy.getMetadata().getName() + " cannot reach");
    for (Agent b : backends) {
      assertThat(d.get().getMessage()).contains(b.getMetadata().getName() + " (" + b.getStatus().getAddresses().getVpn()
          + ")");
    }
  }
}
