package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.WebRoleKeys;
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
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * A PhpService of a vpn.enabled application: its proxy is given its backends' VPN addresses and
 * reaches them over WireGuard (each backend's page says which of its addresses took the request),
 * while status.endpoints keeps the proxy's own (underlay) entry point. Root only (namespaces).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpnWebIT {
  private static final String PAGE = "<?php echo $_SERVER['SERVER_ADDR'] . ' ' . $_SERVER['CONPAAS_AGENT'];";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private String ns;
  private String cloud;
  private ConpaasOperator operator;
  private WebServiceSteps<PhpService> steps;

  @BeforeAll
  void start() {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    try {
      Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    client = DevCluster.client();
    ns = TestNamespace.create(client, "vpnweb");
    cloud = "vpnweb-" + ns;
    client.resource(Fixtures.localCloud(cloud, workDir)).create();
    Application app = Fixtures.application(ns, "app", cloud);
    VpnSpec vpn = new VpnSpec();
    vpn.setEnabled(true);
    app.getSpec().setVpn(vpn);
    client.resource(app).create();
    operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(90), 3),
        TestOperator.localDrivers(workDir));
    steps = new WebServiceSteps<>(client, ns, PhpService.class, "shop", ServiceKind.PhpService);
    client.resource(Fixtures.php(ns, "shop", "app", 2)).create();
    steps.awaitRunning();
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
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }

  private static boolean vmOfThisTest(String netns) {
    return Files.isDirectory(workDir.resolve(netns.substring("cpa-".length())));
  }

  @Test
  void theProxyReachesItsBackendsAtTheirVpnAddresses() throws Exception {
    steps.upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", PAGE)));
    steps.activate("v1");
    List<Agent> backends = client.resources(Agent.class).inNamespace(ns).withLabel("conpaas.io/role", "backend")
        .list().getItems();
    Set<String> vpnAddresses = new HashSet<>();
    for (Agent b : backends) {
      assertThat(b.getStatus().getAddresses().getVpn()).startsWith("172.16.");
      vpnAddresses.add(b.getStatus().getAddresses().getVpn());
    }
    Agent proxy = client.resources(Agent.class).inNamespace(ns).withLabel("conpaas.io/role", "proxy").list()
        .getItems().get(0);
    for (String a : vpnAddresses) {
      assertThat(proxy.getSpec().getConfig().get(WebRoleKeys.BACKENDS)).contains(a + ":");
    }
    // The entry point stays the proxy's own address, outside the VPN.
    assertThat(steps.endpoint()).startsWith("http://" + proxy.getStatus().getAddresses().getPublicAddress() + ":")
        .doesNotContain("172.16.");
    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      String body = steps.get("/index.php").body().strip();
      seen.add(body.split(" ")[0]);
      return seen.containsAll(vpnAddresses);
    });
    // Every answer came in on a backend's VPN address (only its WireGuard interface holds it).
    assertThat(vpnAddresses).containsAll(seen);
  }
}
