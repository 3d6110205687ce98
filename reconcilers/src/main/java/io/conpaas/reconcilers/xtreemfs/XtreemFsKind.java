package io.conpaas.reconcilers.xtreemfs;

import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.XtreemFsPolicies;
import io.conpaas.api.v1alpha1.XtreemFsService;
import io.conpaas.api.v1alpha1.XtreemFsServiceSpec;
import io.conpaas.api.v1alpha1.XtreemFsVolume;
import io.conpaas.reconcilers.model.AgentNames;
import io.conpaas.reconcilers.model.CloudResolution;
import io.conpaas.reconcilers.model.PeerAddress;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * XtreemFsService (manual 2.9) on SeaweedFS: the dir agent (master + filer) and OSDs (volume
 * servers). OSDs are configured with the master's address from the dir agent's facts, their size
 * (osdVolumes) and labels (data center = their Cloud, rack from the policies); the dir agent with
 * the volumes and the default replica placement, which it applies without restarting. Leaving OSDs
 * go one at a time, highest slot first, each after moving its volumes away (the agent answers
 * LEAVING meanwhile); a scale-down whose leaving OSDs hold more volumes than the kept OSDs have
 * free slots is refused (a problem: nothing is touched, the message says why). Pure.
 */
public final class XtreemFsKind implements ServiceKind<XtreemFsService> {
  static final String DIR = XtreemFsServiceSpec.ROLE_DIR;
  static final String OSD = XtreemFsServiceSpec.ROLE_OSD;
  static final int DEFAULT_OSD_VOLUMES = 8;

  @Override
  public String scaleRole() {
    return OSD;
  }

  @Override
  public KindPlan plan(ServiceContext<XtreemFsService> context) {
    XtreemFsService service = context.service();
    XtreemFsPolicies policies = service.getSpec().policiesOrDefault();
    Collection<Agent> agents = context.agents();
    boolean stopping = service.getSpec().stopRequested();
    Map<String, String> dir = new LinkedHashMap<>();
    dir.put(XtreemFsKeys.VOLUMES, XtreemFsKeys.encodeVolumes(volumes(service)));
    dir.put(XtreemFsKeys.REPLICATION, policies.getReplication() == null ? "000" : policies.getReplication());
    dir.put(XtreemFsKeys.VOLUME_SIZE_LIMIT_MB,
        Integer.toString(policies.getVolumeSizeLimitMb() == null ? 64 : policies.getVolumeSizeLimitMb()));
    dir.put(XtreemFsKeys.READ_ONLY, Boolean.toString(Boolean.TRUE.equals(service.getSpec().getReadOnly())));
    Map<String, String> osd = new LinkedHashMap<>();
    osd.put(XtreemFsKeys.MAX_VOLUMES, Integer.toString(osdVolumes(service)));
    osd.put(XtreemFsKeys.RACK, policies.getRack() == null ? "" : policies.getRack());
    osd.put(XtreemFsKeys.DATA_CENTER, osdCloud(context).orElse(""));
    Optional<Agent> d = dirAgent(agents, context.keep());
    String osdCloud = osdCloud(context).orElse(null);
    d.ifPresent(a -> osd.put(XtreemFsKeys.MASTER, PeerAddress.host(a, osdCloud) + ":"
        + a.getStatus().getFacts().get(XtreemFsKeys.MASTER_PORT) + "."
        + a.getStatus().getFacts().get(XtreemFsKeys.MASTER_GRPC_PORT)));
    return KindPlan.of(Map.of(DIR, dir, OSD, osd))
        .withStatefulRoles(Set.of(DIR))
        .withReady(XtreemFsKind::ready)
        // Stopping releases every VM and its data (manual 2.9.3: download-manifest first): nothing to refuse.
        .withMayRelease(leaving -> stopping || mayRelease(agents, context.keep(), leaving))
        .withProblems(stopping ? List.of()
            : scaleDownProblems(agents, context.keep(), osdVolumes(service), copies(service)))
        .withStatus(status -> withEndpoints(status, d));
  }

  /** The spec's volumes as the dir agent takes them. */
  static List<XtreemFsKeys.Volume> volumes(XtreemFsService service) {
    List<XtreemFsKeys.Volume> out = new ArrayList<>();
    List<XtreemFsVolume> spec = service.getSpec().getVolumes();
    if (spec != null) {
      for (XtreemFsVolume v : spec) {
        out.add(new XtreemFsKeys.Volume(v.getName(), v.getQuotaMb() == null ? 0 : v.getQuotaMb(),
            v.getReplication() == null ? "" : v.getReplication(), v.getDataCenter() == null ? "" : v.getDataCenter()));
      }
    }
    return out;
  }

  static int osdVolumes(XtreemFsService service) {
    Integer n = service.getSpec().policiesOrDefault().getOsdVolumes();
    return n == null ? DEFAULT_OSD_VOLUMES : n;
  }

  /** The Cloud the OSDs run in: their data center label. */
  private static Optional<String> osdCloud(ServiceContext<XtreemFsService> context) {
    XtreemFsService service = context.service();
    String appCloud = context.application().map(a -> a.getSpec() == null ? null : a.getSpec().getCloud()).orElse(null);
    String roleCloud = service.getSpec().getOsd() == null ? null : service.getSpec().getOsd().getCloud();
    CloudResolution.Result r = CloudResolution.resolve(roleCloud, service.getSpec().getCloud(), appCloud,
        context.clouds());
    return r.ok() ? Optional.of(r.cloud()) : Optional.empty();
  }

  /** The dir agent serves master and filer; an OSD's volume server joined the master. */
  static boolean ready(Agent a) {
    Map<String, String> facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    if (facts == null) {
      return false;
    }
    return DIR.equals(a.getSpec().getRole()) ? "true".equals(facts.get(XtreemFsKeys.SERVING))
        : "true".equals(facts.get(XtreemFsKeys.JOINED));
  }

  /** The running, reachable dir agent this pass keeps whose ports are known. */
  static Optional<Agent> dirAgent(Collection<Agent> agents, Set<String> keep) {
    return agents.stream()
        .filter(a -> DIR.equals(a.getSpec().getRole()))
        .filter(a -> keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running
            && a.getStatus().getUnreachableSince() == null && a.getStatus().getFacts() != null)
        .filter(a -> List.of(XtreemFsKeys.MASTER_PORT, XtreemFsKeys.MASTER_GRPC_PORT, XtreemFsKeys.FILER_PORT,
            XtreemFsKeys.FILER_GRPC_PORT).stream().allMatch(k -> port(a.getStatus().getFacts().get(k))))
        .filter(a -> PeerAddress.host(a, false) != null)
        .findFirst();
  }

  private static boolean port(String value) {
    return value != null && value.matches("[1-9][0-9]{0,4}");
  }

  private static int volumeCount(Agent a) {
    Map<String, String> facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    try {
      return facts == null ? 0 : Integer.parseInt(facts.getOrDefault(XtreemFsKeys.VOLUME_COUNT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isOsd(Agent a) {
    return OSD.equals(a.getSpec().getRole());
  }

  private static boolean leaving(Agent a, Set<String> keep) {
    return !keep.contains(a.getMetadata().getName()) || a.getMetadata().getDeletionTimestamp() != null;
  }

  /** The most copies any volume keeps (SeaweedFS xyz: 1 + x + y + z, each on an OSD of its own). */
  static int copies(XtreemFsService service) {
    String fallback = service.getSpec().policiesOrDefault().getReplication();
    int most = copiesOf(fallback == null ? "000" : fallback);
    for (XtreemFsKeys.Volume v : volumes(service)) {
      most = Math.max(most, copiesOf(v.replication().isEmpty() ? (fallback == null ? "000" : fallback) : v.replication()));
    }
    return most;
  }

  private static int copiesOf(String xyz) {
    return 1 + (xyz.charAt(0) - '0') + (xyz.charAt(1) - '0') + (xyz.charAt(2) - '0');
  }

  /**
   * The refusal of a scale-down that would not fit: the volumes on leaving OSDs against the free
   * volume slots of the running OSDs kept, and the OSDs kept against the copies a volume keeps on
   * OSDs of their own. Empty when it fits (or the leaving OSDs hold nothing).
   */
  static List<String> scaleDownProblems(Collection<Agent> agents, Set<String> keep, int osdVolumes, int copies) {
    List<Agent> osds = agents.stream().filter(XtreemFsKind::isOsd).toList();
    int toMove = osds.stream().filter(a -> leaving(a, keep)).mapToInt(XtreemFsKind::volumeCount).sum();
    if (toMove == 0) {
      return List.of();
    }
    List<Agent> kept = osds.stream().filter(a -> !leaving(a, keep)).toList();
    if (kept.size() < copies) {
      return List.of("scale-down refused: a volume keeps " + copies + " copies on different OSDs but only "
          + kept.size() + " OSDs would be left, and the leaving OSDs hold " + toMove + " SeaweedFS volumes; keep at "
          + "least " + copies + " OSDs; no data was moved");
    }
    int free = kept.stream().filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .mapToInt(a -> Math.max(0, osdVolumes - volumeCount(a))).sum();
    if (toMove <= free) {
      return List.of();
    }
    return List.of("scale-down refused: the leaving OSDs hold " + toMove + " SeaweedFS volumes but the " + kept.size()
        + " OSDs kept have only " + free + " free volume slots (policies.osdVolumes " + osdVolumes
        + "); keep more OSDs or raise policies.osdVolumes; no data was moved");
  }

  /**
   * Whether a leaving OSD may be deleted now (its VM released once its volumes moved away): one at a
   * time, highest slot first, so no OSD moves data onto another that is being evacuated. An OSD that
   * never joined holds nothing and goes at once.
   */
  static boolean mayRelease(Collection<Agent> agents, Set<String> keep, Agent leaving) {
    if (!isOsd(leaving) || (volumeCount(leaving) == 0 && !"true".equals(fact(leaving, XtreemFsKeys.LEAVING))
        && leaving.getMetadata().getDeletionTimestamp() == null && !joinedEver(leaving))) {
      return true;
    }
    String name = leaving.getMetadata().getName();
    boolean anotherGoing = agents.stream().filter(XtreemFsKind::isOsd)
        .anyMatch(a -> a.getMetadata().getDeletionTimestamp() != null && !a.getMetadata().getName().equals(name));
    if (anotherGoing) {
      return false;
    }
    Optional<Agent> next = agents.stream().filter(XtreemFsKind::isOsd)
        .filter(a -> !keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .max(Comparator.comparingInt(AgentNames::index));
    return next.map(a -> a.getMetadata().getName().equals(name)).orElse(true);
  }

  private static boolean joinedEver(Agent a) {
    return a.getStatus() != null && a.getStatus().getFacts() != null
        && a.getStatus().getFacts().containsKey(XtreemFsKeys.VOLUME_SERVER);
  }

  private static String fact(Agent a, String key) {
    return a.getStatus() == null || a.getStatus().getFacts() == null ? null : a.getStatus().getFacts().get(key);
  }

  /** endpoints while the dir agent serves: filer (HTTP), filer (weed mount's address), master (weed shell's). */
  static ServiceStatus withEndpoints(ServiceStatus status, Optional<Agent> dir) {
    status.setEndpoints(dir.map(a -> {
      String host = PeerAddress.host(a, true);
      if (host == null) {
        return List.<Endpoint>of();
      }
      Map<String, String> f = a.getStatus().getFacts();
      String h = PeerAddress.bracketed(host);
      return List.of(new Endpoint("filer", "http://" + h + ":" + f.get(XtreemFsKeys.FILER_PORT) + "/"),
          new Endpoint("filer-grpc", h + ":" + f.get(XtreemFsKeys.FILER_PORT) + "." + f.get(XtreemFsKeys.FILER_GRPC_PORT)),
          new Endpoint("master", h + ":" + f.get(XtreemFsKeys.MASTER_PORT) + "." + f.get(XtreemFsKeys.MASTER_GRPC_PORT)));
    }).orElse(List.of()));
    return status;
  }
}
