package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.vpn.VpnNetworks;
import io.conpaas.reconcilers.vpn.VpnSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start check of the VPN block against the real API server: it refuses (one line naming
 * vpn.baseNetwork/vpn.netmask) a block overlapping the cluster's Service CIDR, a node's Pod CIDR or
 * a local Cloud's network; a Cloud added while the operator runs is Ready=False VpnNetworkOverlap.
 * Nothing here makes a namespace or sends a packet.
 */
class VpnNetworkOverlapIT {
  @TempDir
  Path workDir;

  private static OperatorSettings settings(String ns, Path workDir, String base, String mask) {
    return TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3)
        .withVpn(new VpnSettings(base, mask, 2, List.of()));
  }

  private static void refused(OperatorSettings s, Path workDir, String... names) {
    assertThatThrownBy(() -> TestOperator.start(s, TestOperator.localDrivers(workDir)).close())
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).startsWith("vpn.baseNetwork/vpn.netmask: ").doesNotContain("\n");
          for (String n : names) {
            assertThat(e.getMessage()).contains(n);
          }
        });
  }

  @Test
  void overlapsWithTheClusterOrACloudRefuseStartAndALaterCloudIsNotReady() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "vpnoverlap");
    // The dev cluster's Service CIDR is 10.0.0.0/24 (hack/dev-cluster.sh).
    refused(settings(ns, workDir, "10.0.0.0", "255.255.0.0"), workDir, "Service CIDR", "10.0.0.0/24");

    String node = "vpnoverlap-" + ns;
    Node n = new NodeBuilder().withNewMetadata().withName(node).endMetadata()
        .withNewSpec().withPodCIDR("10.246.7.0/24").withPodCIDRs("10.246.7.0/24").endSpec().build();
    String early = "vpnoverlap-early-" + ns;
    String late = "vpnoverlap-late-" + ns;
    client.resource(n).create();
    try {
      refused(settings(ns, workDir, "10.246.0.0", "255.255.0.0"), workDir, "Pod CIDR of node " + node);
    } finally {
      client.nodes().withName(node).delete();
    }

    Cloud cloud = Fixtures.localCloud(early, workDir.resolve("early"));
    cloud.getSpec().getLocal().setNetwork("10.245.3.0/24");
    client.resource(cloud).create();
    try {
      refused(settings(ns, workDir, "10.245.0.0", "255.255.0.0"), workDir, "the network of Cloud " + early,
          "10.245.3.0/24");
    } finally {
      client.resources(Cloud.class).withName(early).delete();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(Cloud.class).withName(early).get() == null);

    // Without overlaps it starts; a Cloud added later that overlaps is not Ready, naming the overlap.
    try (ConpaasOperator operator = TestOperator.start(settings(ns, workDir, "10.245.0.0", "255.255.0.0"),
        TestOperator.localDrivers(workDir))) {
      Cloud added = Fixtures.localCloud(late, workDir.resolve("late"));
      added.getSpec().getLocal().setNetwork("10.245.9.0/24");
      client.resource(added).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Cloud c = client.resources(Cloud.class).withName(late).get();
        Condition ready = c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType()))
            .findFirst().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(VpnNetworks.OVERLAP_REASON);
        assertThat(ready.getMessage()).contains("vpn.baseNetwork/vpn.netmask", "10.245.9.0/24");
      });
      client.resources(Cloud.class).withName(late).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(Cloud.class).withName(late).get() == null);
    }
  }
}
