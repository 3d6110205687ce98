package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.agent.vpn.VpnRelay;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.VpnSpec;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.NetnsProbe;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.operator.testing.WebServiceSteps;
import io.conpaas.reconcilers.vpn.ServiceVpn;
import io.conpaas.reconcilers.vpn.VpnSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
 * and it recovers when the relay returns. Root only (namespaces).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpnRelayIT {
  private static final String PAGE = "<?php echo $_SERVER['SERVER_ADDR'] . ' ' . $_SERVER['CONPAAS_AGENT'];";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private String ns;
  private String cloudA;
  private String cloudB;
  private String hostA;
  private String hostB;
  private int relayPort;
  private VpnRelay relay;
  private ConpaasOperator operator;
  private WebServiceSteps<PhpService> steps;

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    ns = TestNamespace.create(client, "vpnrelay");
    cloudA = "vpnrelay-a-" + ns;
    cloudB = "vpnrelay-b-" + ns;
    String netA = freeNetwork(Set.of());
    String netB = freeNetwork(Set.of(netA));
    hostA = netA.replace(".0/24", ".1");
    hostB = netB.replace(".0/24", ".1");
    client.resource(cloud(cloudA, workDir.resolve("a"), netA)).create();
    client.resource(cloud(cloudB, workDir.resolve("b"), netB)).create();
    // The host holds hostA and hostB (its veths into the two underlays): one relay socket serves both.
    relay = VpnRelay.start(new InetSocketAddress("0.0.0.0", 0));
    relayPort = relay.port();
    Application app = Fixtures.application(ns, "app", cloudA);
    VpnSpec vpn = new VpnSpec();
    vpn.setEnabled(true);
    app.getSpec().setVpn(vpn);
    client.resource(app).create();
    VpnSettings settings = new VpnSettings("172.16.0.0", "255.240.0.0", 5,
        List.of("udp://" + hostA + ":" + relayPort, "udp://" + hostB + ":" + relayPort));
    operator = TestOperator.start(TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(120), 3)
        .withVpn(settings), TestOperator.localDrivers(workDir.resolve("operator")));
    steps = new WebServiceSteps<>(client, ns, PhpService.class, "shop", ServiceKind.PhpService);
    PhpService php = Fixtures.php(ns, "shop", "app", 2);
    php.getSpec().getBackend().setCloud(cloudB);
    php.getSpec().getProxy().setCloud(cloudA);
    php.getSpec().getWeb().setCloud(cloudA);
    client.resource(php).create();
    steps.awaitRunning();
  }

  private static Cloud cloud(String name, Path dir, String network) throws Exception {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Cloud c = Fixtures.localCloud(name, dir);
    c.getSpec().getLocal().setNetwork(network);
    return c;
  }

  /** A /24 in 10.248.0.0/13 that no route of the host names (other tests' underlays included). */
  private static String freeNetwork(Set<String> taken) throws Exception {
    Process p = new ProcessBuilder("ip", "-4", "route", "show").redirectErrorStream(true).start();
    String routes = new String(p.getInputStream().readNBytes(1 << 20));
    p.waitFor();
    for (int i = 0; i < 200; i++) {
      int n = ThreadLocalRandom.current().nextInt(8 * 256);
      String net = "10." + (248 + n / 256) + "." + (n % 256) + ".0/24";
      if (!routes.contains(net.replace(".0/24", ".")) && !taken.contains(net)) {
        return net;
      }
    }
    throw new IllegalStateException("no free /24 in 10.248.0.0/13");
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      client.resources(PhpService.class).inNamespace(ns).withName("shop").delete();
      await().atMost(Duration.ofSeconds(90)).until(() ->
          client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
      await().atMost(Duration.ofSeconds(30)).until(() ->
          NetnsProbe.namespaces().stream().noneMatch(n -> n.startsWith("cpa-local-") && vmOfThisTest(n)));
      operator.close();
      client.resources(Cloud.class).withName(cloudA).delete();
      client.resources(Cloud.class).withName(cloudB).delete();
    }
    if (relay != null) {
      relay.close();
    }
  }

  private static boolean vmOfThisTest(String netns) {
    String id = netns.substring("cpa-".length());
    return Files.isDirectory(workDir.resolve("a").resolve(id)) || Files.isDirectory(workDir.resolve("b").resolve(id));
  }

  @Test
  void theProxyReachesBackendsOnAnotherUnderlayThroughTheRelayAndSaysWhenItCannot() throws Exception {
    steps.upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", PAGE)));
    steps.activate("v1");
    List<Agent> backends = agents("backend");
    Agent proxy = agents("proxy").get(0);
    assertThat(backends).hasSize(2).allMatch(b -> b.getSpec().getCloud().equals(cloudB));
    Set<String> vpnAddresses = new HashSet<>();
    backends.forEach(b -> vpnAddresses.add(b.getStatus().getAddresses().getVpn()));
    // No route between the underlays: the proxy's namespace cannot even send to a backend's.
    String proxyNs = NetnsProbe.namespaceOf(proxy.getStatus().getInstanceId());
    assertThat(NetnsProbe.call(proxyNs, backends.get(0).getStatus().getAddresses().getPrivateAddress(), 9, 1.0))
        .startsWith("FAIL").contains("unreachable");
    long start = System.nanoTime();
    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var r = steps.get("/index.php");
      if (r.statusCode() == 200) {
        seen.add(r.body().strip().split(" ")[0]);
      }
      return seen.containsAll(vpnAddresses);
    });
    System.out.printf("VpnRelayIT: pages from both backends through the relay %d ms after the code was active%n",
        (System.nanoTime() - start) / 1_000_000);
    assertThat(vpnAddresses).containsAll(seen);

    // Routes: proxy <-> backends relayed (both sides say so), backend <-> backend direct.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Agent> bs = agents("backend");
      Agent p = agents("proxy").get(0);
      for (Agent b : bs) {
        assertThat(fact(p, VpnConfig.FACT_RELAYED)).contains(fact(b, VpnConfig.FACT_PUBLIC_KEY));
        assertThat(fact(b, VpnConfig.FACT_RELAYED)).contains(fact(p, VpnConfig.FACT_PUBLIC_KEY));
        assertThat(fact(b, VpnConfig.FACT_PEERS_DOWN)).isEmpty();
        assertThat(fact(b, VpnConfig.FACT_RELAY)).isEqualTo(hostB + ":" + relayPort);
      }
      assertThat(fact(p, VpnConfig.FACT_RELAY)).isEqualTo(hostA + ":" + relayPort);
      assertThat(fact(bs.get(0), VpnConfig.FACT_RELAYED)).doesNotContain(fact(bs.get(1), VpnConfig.FACT_PUBLIC_KEY));
      assertThat(fact(bs.get(1), VpnConfig.FACT_RELAYED)).doesNotContain(fact(bs.get(0), VpnConfig.FACT_PUBLIC_KEY));
      assertThat(degraded()).isEmpty();
    });

    relay.close();
    long down = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Optional<Condition> d = degraded();
      assertThat(d).isPresent();
      assertThat(d.get().getReason()).isEqualTo(ServiceVpn.UNREACHABLE_REASON);
      assertThat(d.get().getMessage()).contains(proxy.getMetadata().getName() + " cannot reach");
      for (Agent b : backends) {
        assertThat(d.get().getMessage()).contains(b.getMetadata().getName() + " (" + b.getStatus().getAddresses().getVpn()
            + ")");
      }
    });
    System.out.printf("VpnRelayIT: Degraded %s %d ms after the relay stopped: %s%n", ServiceVpn.UNREACHABLE_REASON,
        (System.nanoTime() - down) / 1_000_000, degraded().map(Condition::getMessage).orElse(""));

    relay = VpnRelay.start(new InetSocketAddress("0.0.0.0", relayPort));
    long back = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(degraded()).isEmpty());
    seen.clear();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var r = steps.get("/index.php");
      if (r.statusCode() == 200) {
        seen.add(r.body().strip().split(" ")[0]);
      }
      return seen.containsAll(vpnAddresses);
    });
    System.out.printf("VpnRelayIT: recovered %d ms after the relay returned%n", (System.nanoTime() - back) / 1_000_000);
  }

  private List<Agent> agents(String role) {
    return client.resources(Agent.class).inNamespace(ns).withLabel("conpaas.io/role", role).list().getItems()
        .stream().sorted(java.util.Comparator.comparing(a -> a.getMetadata().getName())).toList();
  }

  private static String fact(Agent a, String name) {
    var facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    String v = facts == null ? null : facts.get(name);
    return v == null ? "" : v;
  }

  private Optional<Condition> degraded() {
    PhpService s = client.resources(PhpService.class).inNamespace(ns).withName("shop").get();
    return s.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }
}
