package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static io.conpaas.reconcilers.service.KindPlans.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.XtreemFsPolicies;
import io.conpaas.api.v1alpha1.XtreemFsService;
import io.conpaas.api.v1alpha1.XtreemFsServiceSpec;
import io.conpaas.api.v1alpha1.XtreemFsVolume;
import io.conpaas.reconcilers.model.AgentNames;
import io.conpaas.reconcilers.xtreemfs.XtreemFsKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * XtreemFsKind's plan from hand-built contexts: OSDs get the master's address, the dir agent the
 * volumes; a scale-down whose leaving OSDs hold more volumes than the kept OSDs' free slots, or
 * that leaves fewer OSDs than a volume's copies, is refused; leaving OSDs go one at a time.
 */
class XtreemFsKindPlanTest {
  private final XtreemFsKind kind = new XtreemFsKind();

  private static XtreemFsService fs(int osds, int osdVolumes, String replication) {
    XtreemFsService s = named(new XtreemFsService(), "fs");
    XtreemFsServiceSpec spec = new XtreemFsServiceSpec();
    spec.setApplication("app");
    spec.setOsd(new ScaleRoleSpec(osds));
    XtreemFsVolume v = new XtreemFsVolume();
    v.setName("data");
    v.setQuotaMb(100L);
    v.setReplication(replication);
    spec.setVolumes(List.of(v));
    XtreemFsPolicies p = new XtreemFsPolicies();
    p.setOsdVolumes(osdVolumes);
    spec.setPolicies(p);
    s.setSpec(spec);
    return s;
  }

  private static Agent dir() {
    return running("fs", "dir", 0, "10.4.0.5", Map.of(XtreemFsKeys.MASTER_PORT, "9333",
        XtreemFsKeys.MASTER_GRPC_PORT, "19333", XtreemFsKeys.FILER_PORT, "8888", XtreemFsKeys.FILER_GRPC_PORT, "18888",
        XtreemFsKeys.SERVING, "true"));
  }

  private static Agent osd(int index, int volumes) {
    Agent a = running("fs", "osd", index, "10.4.0." + (10 + index), Map.of(XtreemFsKeys.VOLUME_COUNT,
        Integer.toString(volumes), XtreemFsKeys.JOINED, "true", XtreemFsKeys.VOLUME_SERVER, "10.4.0.1:8080"));
    a.getMetadata().setLabels(Map.of(AgentNames.INDEX_LABEL, Integer.toString(index)));
    return a;
  }

  private static List<Agent> osds(int... volumes) {
    List<Agent> all = new ArrayList<>(List.of(dir()));
    for (int i = 0; i < volumes.length; i++) {
      all.add(osd(i, volumes[i]));
    }
    return all;
  }

  @Test
  void osdsGetTheMastersAddressAndTheDirAgentTheVolumes() {
    var pass = context(fs(2, 8, "001"), osds(1, 1), Observation.NONE);
    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));
    Map<String, Map<String, String>> config = new HashMap<>();
    plan.desired().forEach(a -> config.put(a.getMetadata().getName(), a.getSpec().getConfig()));
    assertThat(config.get("fs-osd-1")).containsEntry(XtreemFsKeys.MASTER, "10.4.0.5:9333.19333")
        .containsEntry(XtreemFsKeys.MAX_VOLUMES, "8");
    assertThat(XtreemFsKeys.decodeVolumes(config.get("fs-dir-0").get(XtreemFsKeys.VOLUMES)))
        .containsExactly(new XtreemFsKeys.Volume("data", 100, "001", ""));
    assertThat(config.get("fs-dir-0")).containsEntry(XtreemFsKeys.READ_ONLY, "false");
    assertThat(kind.plan(pass).problems()).isEmpty();
  }

  @Test
  void stoppingReleasesEveryOsdEvenThoseHoldingData() {
    var service = fs(2, 8, "001");
    service.getSpec().setStopped(true);
    List<Agent> agents = osds(3, 2);
    var pass = context(service, agents, Observation.NONE);
    KindPlan plan = kind.plan(pass);
    assertThat(plan.problems()).isEmpty();
    assertThat(agents).allMatch(a -> plan.mayRelease().test(a));
  }

  @Test
  void readOnlyReachesTheDirAgent() {
    var service = fs(2, 8, "001");
    service.getSpec().setReadOnly(true);
    var pass = context(service, osds(1, 1), Observation.NONE);
    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));
    assertThat(plan.desired()).filteredOn(a -> a.getMetadata().getName().equals("fs-dir-0")).singleElement()
        .satisfies(a -> assertThat(a.getSpec().getConfig()).containsEntry(XtreemFsKeys.READ_ONLY, "true"));
  }

  @Test
  void aScaleDownIsRefusedWhenTheKeptOsdsLackFreeSlots() {
    // 3 -> 1: the leaving OSDs hold 3 + 2 volumes, the kept one has 4 - 1 = 3 free slots.
    var refused = context(fs(1, 4, "000"), osds(1, 3, 2), Observation.NONE);
    assertThat(kind.plan(refused).problems()).singleElement().asString()
        .contains("scale-down refused", "hold 5", "only 3 free volume slots");
    // 3 -> 2: the leaving OSD's 2 volumes fit into 3 + 1 free slots.
    var fits = context(fs(2, 4, "000"), osds(1, 3, 2), Observation.NONE);
    assertThat(kind.plan(fits).problems()).isEmpty();
  }

  @Test
  void aScaleDownIsRefusedWhenFewerOsdsThanCopiesWouldBeLeft() {
    var refused = context(fs(1, 100, "001"), osds(1, 1), Observation.NONE);
    assertThat(kind.plan(refused).problems()).singleElement().asString()
        .contains("scale-down refused", "2 copies", "only 1 OSDs");
  }

  @Test
  void leavingOsdsGoOneAtATimeHighestSlotFirst() {
    List<Agent> agents = osds(1, 1, 1, 1);
    var pass = context(fs(2, 8, "000"), agents, Observation.NONE);
    KindPlan plan = kind.plan(pass);
    assertThat(plan.mayRelease().test(agents.get(4))).isTrue();
    assertThat(plan.mayRelease().test(agents.get(3))).isFalse();
  }
}
