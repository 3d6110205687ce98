package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentVpnSpec;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.VpnRelaySpec;
import io.conpaas.api.v1alpha1.VpnSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ApplicationRelayTest {
  private static Application app(String relayCloud, Integer port) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("ns").withUid("u-1").build());
    ApplicationSpec spec = new ApplicationSpec();
    VpnSpec vpn = new VpnSpec();
    vpn.setEnabled(true);
    if (relayCloud != null) {
      VpnRelaySpec r = new VpnRelaySpec();
      r.setCloud(relayCloud);
      r.setPort(port);
      vpn.setRelay(r);
    }
    spec.setVpn(vpn);
    app.setSpec(spec);
    return app;
  }

  /** The relay Agent as the Agent reconciler leaves it once its VM runs. */
  private static Agent running(Agent relay, String privateAddress, String publicAddress) {
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setAddresses(new AgentAddresses(publicAddress, privateAddress));
    st.setFacts(new TreeMap<>(Map.of(VpnConfig.FACT_RELAY_PORT, relay.getSpec().getConfig().get("port"))));
    relay.setStatus(st);
    return relay;
  }

  private static Agent member(String name, String cloud) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns")
        .withLabels(Map.of(ApiConstants.LABEL_APPLICATION, "shop")).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud(cloud);
    spec.setVpn(new AgentVpnSpec(1, "172.16.0.1", "172.16.0.0/12"));
    a.setSpec(spec);
    return a;
  }

  @Test
  void anApplicationThatAsksGetsOneRelayAgentOwnedByItWithoutServiceOrVpnPlace() {
    ApplicationRelay.Plan plan = ApplicationRelay.plan(app("edge", null), List.of(), null);
    Agent relay = plan.create().orElseThrow();
    assertThat(relay.getMetadata().getName()).startsWith("shop-vpn-relay-");
    assertThat(relay.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getName()).isEqualTo("shop");
      assertThat(o.getUid()).isEqualTo("u-1");
      assertThat(o.getController()).isTrue();
    });
    assertThat(relay.getMetadata().getLabels()).containsEntry(ApiConstants.LABEL_APPLICATION, "shop")
        .containsEntry(ApiConstants.LABEL_ROLE, "relay").doesNotContainKey(ApiConstants.LABEL_SERVICE);
    assertThat(relay.getSpec().getCloud()).isEqualTo("edge");
    assertThat(relay.getSpec().getServiceKind() + "/" + relay.getSpec().getRole()).isEqualTo("Application/relay");
    assertThat(relay.getSpec().getVpn()).isNull();
    assertThat(relay.getSpec().getConfig()).containsEntry("port", "51821");
    assertThat(ApplicationRelay.isRelay(relay)).isTrue();
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.status().getReady()).isFalse();
  }

  @Test
  void anExistingRelayIsKeptAndReportedAChangedOneIsReplacedAndNoneIsReleased() {
    Agent relay = running(ApplicationRelay.plan(app("edge", null), List.of(), null).create().orElseThrow(),
        "10.1.0.5", "198.51.100.5");
    ApplicationRelay.Plan same = ApplicationRelay.plan(app("edge", null), List.of(relay), null);
    assertThat(same.create()).isEmpty();
    assertThat(same.delete()).isEmpty();
    assertThat(same.status().getReady()).isTrue();
    assertThat(same.status().getEndpoint()).isEqualTo("198.51.100.5:51821");
    assertThat(same.status().getAgent()).isEqualTo(relay.getMetadata().getName());

    ApplicationRelay.Plan moved = ApplicationRelay.plan(app("edge", 4000), List.of(relay), null);
    assertThat(moved.create().orElseThrow().getMetadata().getName()).isNotEqualTo(relay.getMetadata().getName());
    assertThat(moved.delete()).containsExactly(relay.getMetadata().getName());

    ApplicationRelay.Plan off = ApplicationRelay.plan(app(null, null), List.of(relay), null);
    assertThat(off.create()).isEmpty();
    assertThat(off.delete()).containsExactly(relay.getMetadata().getName());
    assertThat(off.status()).isNull();
  }

  @Test
  void aCloudThatRefusesTheNamespaceGetsNoRelayAndTheStatusSaysWhy() {
    ApplicationRelay.Plan plan = ApplicationRelay.plan(app("edge", null), List.of(), "Cloud edge does not allow ns");
    assertThat(plan.create()).isEmpty();
    assertThat(plan.status().getReady()).isFalse();
    assertThat(plan.status().getMessage()).contains("does not allow");
  }

  @Test
  void agentsUseTheirApplicationsRelayFirstPrivateFromItsCloudThenTheOperatorsRelays() {
    Agent relay = running(ApplicationRelay.plan(app("edge", null), List.of(), null).create().orElseThrow(),
        "10.1.0.5", "198.51.100.5");
    Agent near = member("n", "edge");
    Agent far = member("f", "dc");
    List<Agent> all = List.of(relay, near, far);
    assertThat(ApplicationRelay.relaysFor(far, all, List.of("192.0.2.1:40000")))
        .containsExactly("198.51.100.5:51821", "192.0.2.1:40000");
    assertThat(ApplicationRelay.relaysFor(near, all, List.of())).containsExactly("10.1.0.5:51821");
    // Another application's relay is not ours.
    Agent other = member("o", "dc");
    other.getMetadata().setLabels(Map.of(ApiConstants.LABEL_APPLICATION, "other"));
    assertThat(ApplicationRelay.relaysFor(other, all, List.of())).isEmpty();
    // While its VM is replaced (facts cleared, old address kept) the relay stays listed, so relayed pairs stay so.
    relay.getStatus().setPhase(AgentPhase.Creating);
    relay.getStatus().setFacts(new TreeMap<>());
    assertThat(ApplicationRelay.relaysFor(far, all, List.of())).containsExactly("198.51.100.5:51821");
    assertThat(ApplicationRelay.plan(app("edge", null), List.of(relay), null).status().getReady()).isFalse();
  }

  @Test
  void theAgentSideDefaultPortIsTheCrdsDefault() {
    assertThat(VpnConfig.DEFAULT_RELAY_PORT).isEqualTo(VpnRelaySpec.DEFAULT_PORT);
  }
}
