package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static io.conpaas.reconcilers.service.KindPlans.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.KvRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.api.v1alpha1.ScalarisServiceSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.kv.ScalarisKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ScalarisKind's plan from hand-built contexts: member lists, bootstrap, readiness, one-at-a-time release, endpoints. */
class ScalarisKindPlanTest {
  private final ScalarisKind kind = new ScalarisKind();

  private static ScalarisService kv(int nodes) {
    ScalarisService s = named(new ScalarisService(), "kv");
    ScalarisServiceSpec spec = new ScalarisServiceSpec();
    spec.setApplication("app");
    spec.setNodes(new ScaleRoleSpec(nodes));
    s.setSpec(spec);
    return s;
  }

  private static Agent member(int index, String memberPort, String httpPort) {
    return labelled(running("kv", "nodes", index, "10.2.0." + (10 + index), Map.of(KvRoleKeys.MEMBER, "true",
        KvRoleKeys.MEMBER_PORT, memberPort, KvRoleKeys.PORT, httpPort)), index);
  }

  /** With the slot label the operator's Agents carry. */
  private static Agent labelled(Agent a, int index) {
    a.getMetadata().setLabels(Map.of(io.conpaas.reconcilers.model.AgentNames.INDEX_LABEL, Integer.toString(index)));
    return a;
  }

  @Test
  void onlyTheFirstNodeBootstrapsAndTheOthersWaitForAList() {
    ServicePlan plan = ServicePlan.of(context(kv(3), List.of(), Observation.NONE),
        kind.plan(context(kv(3), List.of(), Observation.NONE)));

    assertThat(plan.desired()).hasSize(3);
    assertThat(plan.desired()).extracting(a -> a.getSpec().getConfig().get(KvRoleKeys.BOOTSTRAP))
        .containsExactly("true", "false", "false");
    assertThat(plan.desired()).allSatisfy(a -> assertThat(a.getSpec().getConfig())
        .containsEntry(KvRoleKeys.BACKUP_COUNT, "1").containsEntry(KvRoleKeys.MEMBERS, "")
        .containsEntry(KvRoleKeys.CLUSTER_NAME, "conpaas.shop.kv.uid-kv"));
  }

  @Test
  void eachNodeJoinsTheOtherMembersAndIsReadyOnlyAsAMember() {
    Agent first = member(0, "5701", "8080");
    Agent second = member(1, "5702", "8081");
    Agent waiting = running("kv", "nodes", 2, "10.2.0.12", Map.of(KvRoleKeys.MEMBER, "false",
        KvRoleKeys.WAITING, "true"));
    var pass = context(kv(3), List.of(first, second, waiting), Observation.NONE);
    KindPlan kindPlan = kind.plan(pass);
    ServicePlan plan = ServicePlan.of(pass, kindPlan);

    Map<String, Map<String, String>> config = new java.util.HashMap<>();
    plan.desired().forEach(a -> config.put(a.getMetadata().getName(), a.getSpec().getConfig()));
    assertThat(config.get("kv-nodes-0")).containsEntry(KvRoleKeys.MEMBERS, "10.2.0.11:5702")
        .containsEntry(KvRoleKeys.BOOTSTRAP, "false");
    assertThat(config.get("kv-nodes-2")).containsEntry(KvRoleKeys.MEMBERS, "10.2.0.10:5701,10.2.0.11:5702");
    assertThat(kindPlan.ready().test(first)).isTrue();
    assertThat(kindPlan.ready().test(waiting)).isFalse();

    ServiceStatus status = kindPlan.status().apply(new ServiceStatus());
    assertThat(status.getEndpoints()).extracting(Endpoint::getName, Endpoint::getUrl).containsExactly(
        org.assertj.core.groups.Tuple.tuple("kv", "http://10.2.0.10:8080/kv/"),
        org.assertj.core.groups.Tuple.tuple("status", "http://10.2.0.10:8080/"),
        org.assertj.core.groups.Tuple.tuple("hazelcast", "10.2.0.10:5701"),
        org.assertj.core.groups.Tuple.tuple("kv-1", "http://10.2.0.11:8081/kv/"));
  }

  @Test
  void leavingMembersGoOneAtATimeHighestSlotFirst() {
    List<Agent> five = List.of(member(0, "1", "1"), member(1, "2", "2"), member(2, "3", "3"), member(3, "4", "4"),
        member(4, "5", "5"));
    var pass = context(kv(2), five, Observation.NONE);
    KindPlan plan = kind.plan(pass);

    assertThat(five).filteredOn(plan.mayRelease()).extracting(a -> a.getMetadata().getName())
        .containsExactly("kv-nodes-4");

    // While nodes-4 is going (deleted, its VM not released yet), nobody else may go.
    five.get(4).getMetadata().setDeletionTimestamp("2026-12-05T14:00:00Z");
    KindPlan next = kind.plan(context(kv(2), five, Observation.NONE));
    assertThat(five.subList(0, 4)).noneMatch(next.mayRelease());

    // A node that never became a member holds nothing and goes at once.
    Agent idle = labelled(running("kv", "nodes", 5, "10.2.0.15", Map.of(KvRoleKeys.MEMBER, "false")), 5);
    assertThat(next.mayRelease().test(idle)).isTrue();
  }
}
