package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.application;
import static io.conpaas.reconcilers.service.KindPlans.cloud;
import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static io.conpaas.reconcilers.service.KindPlans.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.api.v1alpha1.MapReduceServiceSpec;
import io.conpaas.api.v1alpha1.QemuCloudSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.mapreduce.MapReduceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * MapReduceKind's plan from hand-built contexts: the master's address for the workers, replication
 * bounded by the workers, leaving DataNodes to decommission, readiness, endpoints, the 384 MiB minimum.
 */
class MapReduceKindPlanTest {
  private final MapReduceKind kind = new MapReduceKind();

  private static MapReduceService hadoop(int workers, int replication) {
    MapReduceService s = named(new MapReduceService(), "mr");
    MapReduceServiceSpec spec = new MapReduceServiceSpec();
    spec.setApplication("app");
    spec.setWorkers(new ScaleRoleSpec(workers));
    spec.setReplication(replication);
    s.setSpec(spec);
    return s;
  }

  private static Agent master() {
    Map<String, String> facts = new HashMap<>();
    int port = 9000;
    for (String k : MapReduceRoleKeys.MASTER_PORTS) {
      facts.put(k, Integer.toString(port++));
    }
    facts.put("serving", "true");
    return running("mr", "master", 0, "10.4.0.5", facts);
  }

  private static Map<String, Map<String, String>> config(ServicePlan plan) {
    Map<String, Map<String, String>> config = new HashMap<>();
    plan.desired().forEach(a -> config.put(a.getMetadata().getName(), a.getSpec().getConfig()));
    return config;
  }

  @Test
  void workersWaitWithoutAMasterAndReplicationNeverExceedsTheWorkers() {
    var pass = context(hadoop(1, 3), List.of(), Observation.NONE);
    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));
    assertThat(plan.desired()).extracting(a -> a.getMetadata().getName())
        .containsExactlyInAnyOrder("mr-master-0", "mr-workers-0");
    assertThat(config(plan).get("mr-workers-0")).containsEntry(MapReduceRoleKeys.REPLICATION, "1")
        .doesNotContainKey(MapReduceRoleKeys.MASTER_HOST);
    assertThat(kind.plan(pass).problems()).isEmpty();
  }

  @Test
  void workersGetTheMastersAddressAndPortsAndAreReadyOnceJoined() {
    Agent joined = running("mr", "workers", 0, "10.4.0.6", Map.of(MapReduceRoleKeys.JOINED, "true"));
    Agent starting = running("mr", "workers", 1, "10.4.0.7", Map.of(MapReduceRoleKeys.JOINED, "false"));
    Agent master = master();
    var pass = context(hadoop(2, 2), List.of(master, joined, starting), Observation.NONE);
    KindPlan kindPlan = kind.plan(pass);
    Map<String, Map<String, String>> config = config(ServicePlan.of(pass, kindPlan));

    assertThat(config.get("mr-workers-1")).containsEntry(MapReduceRoleKeys.MASTER_HOST, "10.4.0.5")
        .containsEntry(MapReduceRoleKeys.NAMENODE_PORT, master.getStatus().getFacts().get(MapReduceRoleKeys.NAMENODE_PORT))
        .containsEntry(MapReduceRoleKeys.RM_TRACKER_PORT, master.getStatus().getFacts().get(MapReduceRoleKeys.RM_TRACKER_PORT))
        .containsEntry(MapReduceRoleKeys.REPLICATION, "2");
    assertThat(config.get("mr-master-0")).containsEntry(MapReduceRoleKeys.DECOMMISSION, "");
    assertThat(kindPlan.ready().test(master)).isTrue();
    assertThat(kindPlan.ready().test(joined)).isTrue();
    assertThat(kindPlan.ready().test(starting)).isFalse();
    ServiceStatus status = kindPlan.status().apply(new ServiceStatus());
    assertThat(status.getEndpoints()).extracting(Endpoint::getName).containsExactly("namenode", "resourcemanager",
        "jobhistory", "hdfs", "yarn", "history", "yarn-scheduler");
    assertThat(status.getEndpoints().get(0).getUrl()).isEqualTo("http://10.4.0.5:"
        + master.getStatus().getFacts().get(MapReduceRoleKeys.NAMENODE_HTTP_PORT) + "/");
  }

  @Test
  void theMasterDecommissionsTheDataNodesOfLeavingWorkers() {
    Agent kept = running("mr", "workers", 0, "10.4.0.6", Map.of(MapReduceRoleKeys.DATANODE, "10.4.0.6:5001"));
    Agent leaving = running("mr", "workers", 1, "10.4.0.7", Map.of(MapReduceRoleKeys.DATANODE, "10.4.0.7:5002"));
    var pass = context(hadoop(1, 2), List.of(master(), kept, leaving), Observation.NONE);
    Map<String, Map<String, String>> config = config(ServicePlan.of(pass, kind.plan(pass)));
    assertThat(config.get("mr-master-0")).containsEntry(MapReduceRoleKeys.DECOMMISSION, "10.4.0.7:5002")
        .containsEntry(MapReduceRoleKeys.REPLICATION, "1");
  }

  @Test
  void vmsBelow384MibAreRefusedNamingTheLimitAndTheSetting() {
    Cloud small = cloud("small");
    small.getSpec().setLocal(new LocalCloudSpec());
    small.getSpec().getLocal().setMemoryMb(256);
    Cloud qemu = cloud("qemu");
    qemu.getSpec().setQemu(new QemuCloudSpec());
    MapReduceService service = hadoop(2, 2);
    service.getSpec().getWorkers().setCloud("small");
    service.getMetadata().setNamespace(KindPlans.NS);
    var pass = ServiceContext.of(service, List.of(), List.of(cloud("local"), small, qemu),
        Optional.of(application("app", "local")));
    assertThat(kind.plan(pass).problems()).containsExactly("MapReduceService needs at least 384 MiB of memory per "
        + "VM; role workers would get 256 MiB on Cloud small (spec.local.memoryMb)");

    // The qemu Cloud's default (512 MiB) and a local Cloud that names no memory are accepted.
    service.getSpec().getWorkers().setCloud("qemu");
    assertThat(kind.plan(ServiceContext.of(service, List.of(), List.of(cloud("local"), small, qemu),
        Optional.of(application("app", "local")))).problems()).isEmpty();
  }
}
