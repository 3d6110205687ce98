package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static io.conpaas.reconcilers.service.KindPlans.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.conpaas.agent.api.SeleniumRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.SeleniumService;
import io.conpaas.api.v1alpha1.SeleniumServiceSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.selenium.SeleniumKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SeleniumKind's plan from hand-built contexts: the hub's address for the nodes, readiness, endpoints. */
class SeleniumKindPlanTest {
  private final SeleniumKind kind = new SeleniumKind();

  private static SeleniumService grid(int nodes) {
    SeleniumService s = named(new SeleniumService(), "grid");
    SeleniumServiceSpec spec = new SeleniumServiceSpec();
    spec.setApplication("app");
    spec.setNodes(new ScaleRoleSpec(nodes));
    spec.setSessionsPerNode(2);
    s.setSpec(spec);
    return s;
  }

  private static Agent hub() {
    return running("grid", "hub", 0, "10.3.0.5", Map.of(SeleniumRoleKeys.PORT, "4444",
        SeleniumRoleKeys.PUBLISH_PORT, "4442", SeleniumRoleKeys.SUBSCRIBE_PORT, "4443"));
  }

  @Test
  void nodesWaitWithoutAHubAndThereIsNoEndpointYet() {
    var pass = context(grid(2), List.of(), Observation.NONE);
    KindPlan kindPlan = kind.plan(pass);
    ServicePlan plan = ServicePlan.of(pass, kindPlan);

    assertThat(plan.desired()).extracting(a -> a.getMetadata().getName())
        .containsExactlyInAnyOrder("grid-hub-0", "grid-nodes-0", "grid-nodes-1");
    assertThat(plan.desired()).filteredOn(a -> a.getSpec().getRole().equals("nodes"))
        .allSatisfy(a -> assertThat(a.getSpec().getConfig()).containsEntry(SeleniumRoleKeys.SESSIONS, "2")
            .doesNotContainKey(SeleniumRoleKeys.HUB_HOST));
    assertThat(kindPlan.status().apply(new ServiceStatus()).getEndpoints()).isEmpty();
  }

  @Test
  void nodesGetTheRunningHubsAddressAndAreReadyOnlyWhenRegistered() {
    Agent registered = running("grid", "nodes", 0, "10.3.0.6", Map.of(SeleniumRoleKeys.REGISTERED, "true"));
    Agent starting = running("grid", "nodes", 1, "10.3.0.7", Map.of(SeleniumRoleKeys.REGISTERED, "false"));
    Agent hub = hub();
    var pass = context(grid(2), List.of(hub, registered, starting), Observation.NONE);
    KindPlan kindPlan = kind.plan(pass);
    ServicePlan plan = ServicePlan.of(pass, kindPlan);

    Map<String, Map<String, String>> config = new HashMap<>();
    plan.desired().forEach(a -> config.put(a.getMetadata().getName(), a.getSpec().getConfig()));
    assertThat(config.get("grid-nodes-1")).containsEntry(SeleniumRoleKeys.HUB_HOST, "10.3.0.5")
        .containsEntry(SeleniumRoleKeys.HUB_PORT, "4444").containsEntry(SeleniumRoleKeys.HUB_PUBLISH_PORT, "4442")
        .containsEntry(SeleniumRoleKeys.HUB_SUBSCRIBE_PORT, "4443");
    assertThat(config.get("grid-hub-0")).doesNotContainKey(SeleniumRoleKeys.HUB_HOST);
    assertThat(kindPlan.ready().test(hub)).isTrue();
    assertThat(kindPlan.ready().test(registered)).isTrue();
    assertThat(kindPlan.ready().test(starting)).isFalse();

    ServiceStatus status = kindPlan.status().apply(new ServiceStatus());
    assertThat(status.getEndpoints()).extracting(Endpoint::getName, Endpoint::getUrl).containsExactly(
        tuple("grid", "http://10.3.0.5:4444/"), tuple("console", "http://10.3.0.5:4444/ui/"));
  }

  @Test
  void aHubThatStoppedAnsweringIsNotGivenToTheNodes() {
    Agent hub = hub();
    hub.getStatus().setUnreachableSince("2026-12-05T14:00:00Z");
    var pass = context(grid(1), List.of(hub), Observation.NONE);
    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));

    assertThat(plan.desired()).filteredOn(a -> a.getSpec().getRole().equals("nodes"))
        .allSatisfy(a -> assertThat(a.getSpec().getConfig()).doesNotContainKey(SeleniumRoleKeys.HUB_HOST));
  }
}
