package io.conpaas.reconcilers.mapreduce;

import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.api.v1alpha1.MapReduceServiceSpec;
import io.conpaas.api.v1alpha1.MapReduceJobStatus;
import io.conpaas.api.v1alpha1.MapReduceServiceStatus;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.agent.api.AgentJson;
import com.fasterxml.jackson.core.type.TypeReference;
import io.conpaas.reconcilers.model.CloudResolution;
import io.conpaas.reconcilers.model.PeerAddress;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import io.conpaas.reconcilers.service.StatusCopy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MapReduceService (manual 2.7): one Hadoop master and workers. Workers are configured with the
 * master's address and ports (the master agent's facts), so they join only once it runs and a
 * replaced master gets its workers back. HDFS replication is the spec's, never more than the
 * workers kept. The master is told which leaving workers' DataNodes to decommission; a leaving
 * worker's agent answers LEAVING until its DataNode is decommissioned (see VmRelease), so its VM
 * goes only after HDFS copied its blocks elsewhere. A VM below the manual's 384 MiB is refused.
 * endpoints: the NameNode's web UI, the ResourceManager's, the JobHistory's, then for Hadoop
 * clients hdfs://, the ResourceManager's address, the JobHistory server's and the RM scheduler's. Pure.
 */
public final class MapReduceKind implements ServiceKind<MapReduceService> {
  static final String MASTER = MapReduceServiceSpec.ROLE_MASTER;
  static final String WORKERS = MapReduceServiceSpec.ROLE_WORKERS;

  @Override
  public String scaleRole() {
    return WORKERS;
  }

  @Override
  public KindPlan plan(ServiceContext<MapReduceService> context) {
    MapReduceService service = context.service();
    Collection<Agent> agents = context.agents();
    String replication = Integer.toString(replication(service));
    Map<String, String> master = new LinkedHashMap<>();
    master.put(MapReduceRoleKeys.REPLICATION, replication);
    master.put(MapReduceRoleKeys.DECOMMISSION, String.join(",", decommission(agents, context.keep())));
    Map<String, String> workers = new LinkedHashMap<>();
    workers.put(MapReduceRoleKeys.REPLICATION, replication);
    Optional<Agent> m = master(agents, context.keep());
    String workerCloud = agents.stream().filter(a -> WORKERS.equals(a.getSpec().getRole()))
        .map(a -> a.getSpec().getCloud()).findFirst().orElse(null);
    m.ifPresent(a -> {
      workers.put(MapReduceRoleKeys.MASTER_HOST, PeerAddress.host(a, workerCloud));
      MapReduceRoleKeys.MASTER_PORTS.forEach(k -> workers.put(k, a.getStatus().getFacts().get(k)));
    });
    return KindPlan.of(Map.of(MASTER, master, WORKERS, workers))
        .withStatefulRoles(Set.of(MASTER))
        .withReady(MapReduceKind::ready)
        .withProblems(memoryProblems(context))
        .withStatus(status -> withJobs(withEndpoints(status, m), agents,
            service.getStatus() == null ? null : service.getStatus().getJobs()));
  }

  /** spec.replication, but never more than the workers the service keeps (at least 1). */
  static int replication(MapReduceService service) {
    MapReduceServiceSpec spec = service.getSpec();
    int workers = spec.getWorkers() == null || spec.getWorkers().getNodes() == null ? 0 : spec.getWorkers().getNodes();
    return Math.max(1, Math.min(spec.wantedReplication(), workers));
  }

  /** DataNodes (their transfer addresses) of workers that are leaving: no longer kept, or being deleted. */
  static List<String> decommission(Collection<Agent> agents, Set<String> keep) {
    return agents.stream().filter(a -> WORKERS.equals(a.getSpec().getRole()))
        .filter(a -> !keep.contains(a.getMetadata().getName()) || a.getMetadata().getDeletionTimestamp() != null)
        .map(a -> a.getStatus() == null || a.getStatus().getFacts() == null ? ""
            : a.getStatus().getFacts().getOrDefault(MapReduceRoleKeys.DATANODE, ""))
        .filter(s -> !s.isBlank()).sorted().toList();
  }

  /** The master serves; a worker's DataNode and NodeManager joined it. */
  static boolean ready(Agent a) {
    Map<String, String> facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    if (facts == null) {
      return false;
    }
    return MASTER.equals(a.getSpec().getRole()) ? "true".equals(facts.get("serving"))
        : "true".equals(facts.get(MapReduceRoleKeys.JOINED));
  }

  /** The running, reachable master this pass keeps whose ports are known. */
  static Optional<Agent> master(Collection<Agent> agents, Set<String> keep) {
    return agents.stream()
        .filter(a -> MASTER.equals(a.getSpec().getRole()))
        .filter(a -> keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running
            && a.getStatus().getUnreachableSince() == null && a.getStatus().getFacts() != null)
        .filter(a -> MapReduceRoleKeys.MASTER_PORTS.stream().allMatch(k -> port(a.getStatus().getFacts().get(k))))
        .filter(a -> PeerAddress.host(a, false) != null)
        .findFirst();
  }

  private static boolean port(String value) {
    return value != null && value.matches("[1-9][0-9]{0,4}");
  }

  /**
   * The manual's minimum of 384 MiB per VM: a role whose Cloud gives its VMs less is refused, with
   * the limit, the size and the setting that says it. A role whose Cloud says nothing passes.
   */
  static List<String> memoryProblems(ServiceContext<MapReduceService> context) {
    MapReduceService service = context.service();
    String appCloud = context.application().map(a -> a.getSpec() == null ? null : a.getSpec().getCloud()).orElse(null);
    List<String> problems = new ArrayList<>();
    service.getSpec().roles().forEach((role, spec) -> {
      String instanceType = spec == null ? null : spec.getInstanceType();
      String roleCloud = spec == null ? null : spec.getCloud();
      CloudResolution.Result r = CloudResolution.resolve(roleCloud, service.getSpec().getCloud(), appCloud,
          context.clouds());
      if (!r.ok() || (spec != null && spec.getNodes() != null && spec.getNodes() == 0)) {
        return;
      }
      Cloud cloud = context.clouds().stream().filter(c -> r.cloud().equals(c.getMetadata().getName())).findFirst()
          .orElseThrow();
      VmMemory.of(cloud, instanceType).filter(size -> size.mib() < MapReduceServiceSpec.MIN_MEMORY_MB)
          .ifPresent(size -> problems.add("MapReduceService needs at least " + MapReduceServiceSpec.MIN_MEMORY_MB
              + " MiB of memory per VM; role " + role + " would get " + size.mib() + " MiB on Cloud " + r.cloud()
              + " (" + size.setting() + ")"));
    });
    return problems;
  }

  /**
   * status.jobs: the master's jobs fact (its most recent jobs); kept from the last status while no
   * master reports (a master being replaced, or not answering), so submitted jobs do not vanish from view.
   */
  static MapReduceServiceStatus withJobs(ServiceStatus common, Collection<Agent> agents,
      List<MapReduceJobStatus> previous) {
    MapReduceServiceStatus status = StatusCopy.as(common, MapReduceServiceStatus.class);
    status.setJobs(previous);
    agents.stream().filter(a -> MASTER.equals(a.getSpec().getRole()) && a.getStatus() != null
            && a.getStatus().getFacts() != null && a.getStatus().getFacts().containsKey(MapReduceRoleKeys.JOBS))
        .findFirst().map(a -> jobs(a.getStatus().getFacts().get(MapReduceRoleKeys.JOBS)))
        .ifPresent(status::setJobs);
    return status;
  }

  /** The jobs fact (a JSON array of {job, state, application}) read as status entries; unreadable means none. */
  static List<MapReduceJobStatus> jobs(String fact) {
    try {
      List<Map<String, String>> raw = AgentJson.mapper().readValue(fact,
          new TypeReference<List<Map<String, String>>>() {});
      return raw.stream().limit(MapReduceRoleKeys.MAX_REPORTED_JOBS)
          .map(j -> new MapReduceJobStatus(j.get("job"), j.get("state"),
              j.get("application") == null || j.get("application").isEmpty() ? null : j.get("application")))
          .toList();
    } catch (java.io.IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** endpoints while the master serves its ports. */
  static ServiceStatus withEndpoints(ServiceStatus status, Optional<Agent> master) {
    status.setEndpoints(master.map(a -> {
      String host = PeerAddress.host(a, true);
      if (host == null) {
        return List.<Endpoint>of();
      }
      Map<String, String> f = a.getStatus().getFacts();
      String h = PeerAddress.bracketed(host);
      return List.of(new Endpoint("namenode", "http://" + h + ":" + f.get(MapReduceRoleKeys.NAMENODE_HTTP_PORT) + "/"),
          new Endpoint("resourcemanager", "http://" + h + ":" + f.get(MapReduceRoleKeys.RM_HTTP_PORT) + "/"),
          new Endpoint("jobhistory", "http://" + h + ":" + f.get(MapReduceRoleKeys.HISTORY_HTTP_PORT) + "/"),
          new Endpoint("hdfs", "hdfs://" + h + ":" + f.get(MapReduceRoleKeys.NAMENODE_PORT)),
          new Endpoint("yarn", h + ":" + f.get(MapReduceRoleKeys.RM_PORT)),
          new Endpoint("history", h + ":" + f.get(MapReduceRoleKeys.HISTORY_PORT)),
          // A client's job.xml reaches the application master and overrides the workers' yarn-site, so a
          // client must name the scheduler too (else the master dials Hadoop's default 0.0.0.0:8030).
          new Endpoint("yarn-scheduler", h + ":" + f.get(MapReduceRoleKeys.RM_SCHEDULER_PORT)));
    }).orElse(List.of()));
    return status;
  }
}
