package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static io.conpaas.operator.testing.SplitUnderlays.fact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.VpnRelaySpec;
import io.conpaas.api.v1alpha1.VpnRelayStatus;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.NetnsProbe;
import io.conpaas.operator.testing.SplitUnderlays;
import io.conpaas.operator.testing.UnderlayRouter;
import io.conpaas.reconcilers.vpn.ServiceVpn;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator-run relay (Application spec.vpn.relay) without any vpn.bootstrapNodes: Clouds A and
 * B on underlays with no route between them, and Cloud C that both reach (through
 * {@link UnderlayRouter}, "the internet"; nothing else is routed). The shop's
 * proxy on A serves pages from its backends on B through the relay VM the operator runs on C.
 * Killing that VM (its replacement held back by C's maxInstances 0 for a while, as a slow Cloud
 * would) makes the shop Degraded naming the backends its proxy cannot reach; once C takes VMs again
 * the operator replaces the relay and the shop recovers. Removing spec.vpn.relay releases it.
 * Root only (namespaces). Set-up: {@link SplitUnderlays}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpnApplicationRelayIT {
  private static final String PAGE = "<?php echo $_SERVER['SERVER_ADDR'] . ' ' . $_SERVER['CONPAAS_AGENT'];";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private SplitUnderlays world;
  private UnderlayRouter router;
  private String cloudC;

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    world = SplitUnderlays.create("vpnarelay", workDir);
    cloudC = world.addCloud("vpnarelay-c-" + world.ns, false);
    String a = world.cloud(0);
    String b = world.cloud(1);
    router = UnderlayRouter.start("cpr-" + Integer.toHexString(world.ns.hashCode()), List.of(
        new UnderlayRouter.Link(world.cloudDir(a), world.network(a), List.of(world.network(cloudC))),
        new UnderlayRouter.Link(world.cloudDir(b), world.network(b), List.of(world.network(cloudC))),
        new UnderlayRouter.Link(world.cloudDir(cloudC), world.network(cloudC),
            List.of(world.network(a), world.network(b)))));
    VpnRelaySpec relay = new VpnRelaySpec();
    relay.setCloud(cloudC);
    // No vpn.bootstrapNodes: the application's own relay is the only way between A and B.
    world.startShop(List.of(), vpn -> vpn.setRelay(relay));
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
    if (router != null) {
      router.close();
    }
  }

  @Test
  void theOperatorRunsReplacesAndReleasesTheApplicationsRelay() throws Exception {
    // The relay Agent: the Application's, role relay, no service, no VPN place, on Cloud C.
    Agent relay = await().atMost(Duration.ofSeconds(60)).until(this::relayAgent, r -> r != null
        && r.getStatus() != null && r.getStatus().getPhase() == AgentPhase.Running);
    assertThat(relay.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Application/app"));
    assertThat(relay.getMetadata().getLabels()).containsEntry(ApiConstants.LABEL_APPLICATION, "app")
        .doesNotContainKey(ApiConstants.LABEL_SERVICE);
    assertThat(relay.getSpec().getCloud()).isEqualTo(cloudC);
    assertThat(relay.getSpec().getVpn()).isNull();
    String relayEndpoint = relay.getStatus().getAddresses().getPrivateAddress() + ":" + VpnRelaySpec.DEFAULT_PORT;
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      VpnRelayStatus s = application().getStatus().getVpn().getRelay();
      assertThat(s.getAgent()).isEqualTo(relay.getMetadata().getName());
      assertThat(s.getEndpoint()).isEqualTo(relayEndpoint);
      assertThat(s.getReady()).isTrue();
    });
    // It holds no WireGuard key: no interface in its VM.
    assertThat(NetnsProbe.wgInterface(NetnsProbe.namespaceOf(relay.getStatus().getInstanceId()))).isNull();

    world.steps().upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", PAGE)));
    world.steps().activate("v1");
    List<Agent> backends = world.agents("backend");
    Agent proxy = world.agents("proxy").get(0);
    Set<String> vpnAddresses = new HashSet<>();
    backends.forEach(b -> vpnAddresses.add(b.getStatus().getAddresses().getVpn()));
    String proxyNs = NetnsProbe.namespaceOf(proxy.getStatus().getInstanceId());
    assertThat(NetnsProbe.call(proxyNs, backends.get(0).getStatus().getAddresses().getPrivateAddress(), 9, 1.0))
        .startsWith("FAIL").contains("unreachable");
    System.out.printf("VpnApplicationRelayIT: pages from both backends through the operator's relay %d ms after the "
        + "code was active%n", world.awaitPagesFrom(vpnAddresses, Duration.ofSeconds(90)));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Agent p = world.agents("proxy").get(0);
      assertThat(fact(p, VpnConfig.FACT_RELAY)).isEqualTo(relayEndpoint);
      for (Agent b : world.agents("backend")) {
        assertThat(fact(p, VpnConfig.FACT_RELAYED)).contains(fact(b, VpnConfig.FACT_PUBLIC_KEY));
        assertThat(fact(b, VpnConfig.FACT_RELAY)).isEqualTo(relayEndpoint);
      }
      assertThat(world.degraded()).isEmpty();
    });

    // The relay's VM dies; Cloud C takes no new VM for a while.
    setMaxInstances(0);
    long pid = LocalVms.pid(world.cloudDir(cloudC), relay.getStatus().getInstanceId()).orElseThrow();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long killed = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> VpnRelayIT.assertDegradedNaming(world, proxy, backends));
    System.out.printf("VpnApplicationRelayIT: Degraded %s %d ms after the relay VM was killed: %s%n",
        ServiceVpn.UNREACHABLE_REASON, (System.nanoTime() - killed) / 1_000_000,
        world.degraded().map(Condition::getMessage).orElse(""));
    assertThat(application().getStatus().getVpn().getRelay().getReady()).isFalse();

    setMaxInstances(null);
    long back = System.nanoTime();
    Agent replaced = await().atMost(Duration.ofSeconds(60)).until(this::relayAgent, r -> r != null
        && r.getStatus().getPhase() == AgentPhase.Running
        && !relay.getStatus().getInstanceId().equals(r.getStatus().getInstanceId()));
    assertThat(replaced.getMetadata().getUid()).isEqualTo(relay.getMetadata().getUid());
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(world.degraded()).isEmpty());
    world.awaitPagesFrom(vpnAddresses, Duration.ofSeconds(30));
    System.out.printf("VpnApplicationRelayIT: relay replaced (%s -> %s) and pages served again %d ms after Cloud C "
        + "took VMs again%n", relay.getStatus().getInstanceId(), replaced.getStatus().getInstanceId(),
        (System.nanoTime() - back) / 1_000_000);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(application().getStatus().getVpn().getRelay().getReady()).isTrue());

    // Disabled: the relay Agent and its VM go.
    world.client.resources(Application.class).inNamespace(world.ns).withName("app")
        .edit(app -> {
          app.getSpec().getVpn().setRelay(null);
          return app;
        });
    await().atMost(Duration.ofSeconds(60)).until(() -> relayAgent() == null
        && LocalVms.liveProcesses(world.cloudDir(cloudC)) == 0);
    assertThat(application().getStatus().getVpn().getRelay()).isNull();
  }

  private Agent relayAgent() {
    return world.agents(VpnConfig.RELAY_ROLE).stream().findFirst().orElse(null);
  }

  private Application application() {
    return world.client.resources(Application.class).inNamespace(world.ns).withName("app").get();
  }

  private void setMaxInstances(Integer max) {
    world.client.resources(Cloud.class).withName(cloudC).edit(c -> {
      c.getSpec().setMaxInstances(max);
      return c;
    });
  }
}
