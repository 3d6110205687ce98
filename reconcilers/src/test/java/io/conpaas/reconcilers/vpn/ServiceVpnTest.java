package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentVpnSpec;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.ApplicationStatus;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.VpnSpec;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.model.DesiredAgents;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The address plan end to end without an API server: service indexes, host indexes, exhaustion. */
class ServiceVpnTest {
  private static final VpnAddressPlan TWO_SERVICES = new VpnSettings("10.44.0.0", "255.255.0.0", 1, List.of()).plan();

  private static HelloWorldService hello(String name, int nodes, String created) {
    HelloWorldService s = new HelloWorldService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withCreationTimestamp(created).withGeneration(1L).build());
    HelloWorldServiceSpec spec = new HelloWorldServiceSpec();
    spec.setApplication("app");
    spec.setAgents(new ScaleRoleSpec(nodes));
    s.setSpec(spec);
    return s;
  }

  private static Application app(boolean vpn) {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace("ns").withGeneration(1L).build());
    ApplicationSpec spec = new ApplicationSpec();
    VpnSpec v = new VpnSpec();
    v.setEnabled(vpn);
    spec.setVpn(v);
    a.setSpec(spec);
    return a;
  }

  /** One Application pass: its services get indexes recorded in the returned status. */
  private static Application pass(Application app, HelloWorldService... services) {
    List<ServiceRef> refs = new ArrayList<>();
    List<ApplicationVpn.Member> members = new ArrayList<>();
    for (HelloWorldService s : services) {
      ServiceRef r = new ServiceRef("HelloWorldService", s.getMetadata().getName(), ServiceState.RUNNING);
      refs.add(r);
      members.add(new ApplicationVpn.Member(r, s.getMetadata().getCreationTimestamp()));
    }
    ApplicationStatus st = new ApplicationStatus();
    st.setVpn(ApplicationVpn.assign(app, members, TWO_SERVICES));
    st.setServices(refs);
    app.setStatus(st);
    return app;
  }

  @Test
  void servicesKeepTheirIndexAndTheExtraOneIsExhausted() {
    HelloWorldService a = hello("a", 1, "2026-12-05T10:00:00Z");
    HelloWorldService b = hello("b", 1, "2026-12-05T10:00:01Z");
    HelloWorldService c = hello("c", 1, "2026-12-05T10:00:02Z");
    Application app = pass(app(true), b, a);
    assertThat(app.getStatus().getVpn().getNetwork()).isEqualTo("10.44.0.0/16");
    assertThat(ServiceVpn.of(a, Optional.of(app))).isEqualTo(
        new ServiceVpn(ServiceVpn.State.ASSIGNED, 0, "10.44.0.0/17", "10.44.0.0/16"));
    assertThat(ServiceVpn.of(b, Optional.of(app)).subnet()).isEqualTo("10.44.128.0/17");
    // Not yet listed by the Application: wait.
    assertThat(ServiceVpn.of(c, Optional.of(app)).pending()).isTrue();
    // The third service finds both blocks taken, the others keep theirs (the record is the status).
    app = pass(app, c, b, a);
    assertThat(ServiceVpn.of(c, Optional.of(app)).state()).isEqualTo(ServiceVpn.State.EXHAUSTED);
    assertThat(ServiceVpn.of(a, Optional.of(app)).serviceIndex()).isEqualTo(0);
    assertThat(ServiceVpn.of(b, Optional.of(app)).serviceIndex()).isEqualTo(1);
    // a is gone: c gets its block.
    app = pass(app, c, b);
    assertThat(ServiceVpn.of(c, Optional.of(app)).serviceIndex()).isEqualTo(0);
    assertThat(ServiceVpn.of(b, Optional.of(app)).serviceIndex()).isEqualTo(1);
  }

  @Test
  void exhaustedServiceIsDegradedWithTheReasonOthersNot() {
    HelloWorldService a = hello("a", 1, "2026-12-05T10:00:00Z");
    HelloWorldService b = hello("b", 1, "2026-12-05T10:00:01Z");
    HelloWorldService c = hello("c", 1, "2026-12-05T10:00:02Z");
    Application app = pass(app(true), a, b, c);
    ServiceStatus ok = ServiceVpn.of(a, Optional.of(app)).applyTo(running(), null, List.of(), 1L, Instant.EPOCH);
    assertThat(ok.getVpn().getSubnet()).isEqualTo("10.44.0.0/17");
    assertThat(Conditions.isTrue(ok.getConditions(), "Degraded")).isFalse();
    ServiceStatus full = ServiceVpn.of(c, Optional.of(app)).applyTo(running(), null, List.of(), 1L, Instant.EPOCH);
    assertThat(full.getVpn()).isNull();
    assertThat(full.getState()).isEqualTo(ServiceState.RUNNING);
    assertThat(Conditions.hasReason(full.getConditions(), "Degraded", ServiceVpn.EXHAUSTED_REASON)).isTrue();
    assertThat(Conditions.isTrue(full.getConditions(), "Ready")).isTrue();
  }

  @Test
  void agentsKeepTheirHostIndexAndNewOnesTakeTheLowestFree() {
    HelloWorldService a = hello("a", 3, "2026-12-05T10:00:00Z");
    Application app = pass(app(true), a);
    ServiceVpn vpn = ServiceVpn.of(a, Optional.of(app));
    List<Agent> first = vpn.place(DesiredAgents.of(a, Map.of("agents", "local"), Map.of()), List.of());
    assertThat(first).extracting(x -> x.getSpec().getVpn().getAddress())
        .containsExactly("10.44.0.1", "10.44.0.2", "10.44.0.3");
    // Agent 0 is gone, 1 and 2 live: slot 0's new Agent takes the free index 1; the others keep theirs.
    List<Agent> live = List.of(first.get(1), first.get(2));
    List<Agent> second = vpn.place(DesiredAgents.of(a, Map.of("agents", "local"), Map.of()), live);
    assertThat(second).extracting(x -> x.getSpec().getVpn().getHostIndex()).containsExactly(1, 2, 3);
    // Scaled to 4 while slot 1's Agent still holds index 2 (leaving): the newcomer does not take it.
    a.getSpec().setAgents(new ScaleRoleSpec(4));
    List<Agent> third = vpn.place(DesiredAgents.of(a, Map.of("agents", "local"), Map.of()), live);
    assertThat(third.get(3).getSpec().getVpn()).usingRecursiveComparison()
        .isEqualTo(new AgentVpnSpec(4, "10.44.0.4", "10.44.0.0/16"));
  }

  @Test
  void withoutTheVpnNothingChanges() {
    HelloWorldService a = hello("a", 1, "2026-12-05T10:00:00Z");
    Application app = pass(app(false), a);
    assertThat(app.getStatus().getVpn()).isNull();
    ServiceVpn vpn = ServiceVpn.of(a, Optional.of(app));
    assertThat(vpn.state()).isEqualTo(ServiceVpn.State.DISABLED);
    assertThat(vpn.place(DesiredAgents.of(a, Map.of("agents", "local"), Map.of()), List.of()).get(0).getSpec().getVpn())
        .isNull();
  }

  private static ServiceStatus running() {
    ServiceStatus st = new ServiceStatus();
    st.setState(ServiceState.RUNNING);
    st.setMessage("all 1 agents ready");
    st.setConditions(Conditions.list(Conditions.of(null, "Ready", true, "AllAgentsReady", "", 1L, Instant.EPOCH),
        Conditions.of(null, "Degraded", false, "AsExpected", "", 1L, Instant.EPOCH)));
    return st;
  }
}
