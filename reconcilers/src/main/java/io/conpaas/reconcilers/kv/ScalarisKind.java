package io.conpaas.reconcilers.kv;

import io.conpaas.agent.api.KvRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.api.v1alpha1.ScalarisServiceSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.model.AgentNames;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * ScalarisService (manual 2.6): symmetric nodes of one key-value store. Each node's configuration
 * carries the store's cluster name, the backups and the member list (the other nodes that report
 * being members, with their member ports); the first node may start the store alone, the others
 * wait for a list. A node is ready once it is a member. Leaving nodes go one at a time, highest
 * slot first, and each only after the previous one's VM is gone (its agent answers LEAVING until
 * its entries have moved). endpoints[0] is the first node's HTTP API, [1] its status page, [2] its
 * Hazelcast member address for Hazelcast clients. Pure.
 */
public final class ScalarisKind implements ServiceKind<ScalarisService> {
  public static final String ROLE = ScalarisServiceSpec.ROLE_NODES;

  @Override
  public String scaleRole() {
    return ROLE;
  }

  @Override
  public KindPlan plan(ServiceContext<ScalarisService> context) {
    ScalarisService service = context.service();
    Map<String, String> common = new LinkedHashMap<>();
    common.put(KvRoleKeys.CLUSTER_NAME, clusterName(service));
    common.put(KvRoleKeys.BACKUP_COUNT, Integer.toString(service.getSpec().backups()));
    Collection<Agent> agents = context.agents();
    String name = service.getMetadata().getName();
    return KindPlan.of(Map.of(ROLE, common))
        .withAgentConfig((role, index) -> memberConfig(agents, AgentNames.name(name, role, index), index))
        .withReady(ScalarisKind::isMember)
        .withMayRelease(leaving -> mayRelease(agents, context.keep(), leaving))
        .withStatus(status -> withEndpoints(status, agents, AgentNames.name(name, ROLE, 0), context.keep()));
  }

  /** One store per service object: a service created again under the same name starts a new one. */
  static String clusterName(ScalarisService service) {
    return "conpaas." + service.getMetadata().getNamespace() + "." + service.getMetadata().getName() + "."
        + service.getMetadata().getUid();
  }

  /** The join list of the node in slot index (the other members), and whether it may start the store alone. */
  static Map<String, String> memberConfig(Collection<Agent> agents, String self, int index) {
    String fromCloud = agents.stream().filter(a -> a.getMetadata().getName().equals(self))
        .map(a -> a.getSpec().getCloud()).filter(Objects::nonNull).findFirst().orElse(null);
    List<String> members = agents.stream()
        .filter(a -> !a.getMetadata().getName().equals(self))
        .filter(ScalarisKind::isMember)
        .sorted(Comparator.comparingInt(AgentNames::index))
        .map(a -> PeerAddress.bracketed(PeerAddress.host(a, fromCloud)) + ":"
            + a.getStatus().getFacts().get(KvRoleKeys.MEMBER_PORT))
        .toList();
    Map<String, String> config = new LinkedHashMap<>();
    config.put(KvRoleKeys.MEMBERS, String.join(",", members));
    // Only the first node starts a store alone, and only when no member is there to join.
    config.put(KvRoleKeys.BOOTSTRAP, Boolean.toString(index == 0 && members.isEmpty()));
    return config;
  }

  /** Running, reachable, and a member of the store (its facts say so, with a member port and an address). */
  static boolean isMember(Agent a) {
    if (a.getStatus() == null || a.getStatus().getPhase() != AgentPhase.Running || a.getStatus().getFacts() == null
        || a.getStatus().getUnreachableSince() != null) {
      return false;
    }
    Map<String, String> facts = a.getStatus().getFacts();
    String port = facts.getOrDefault(KvRoleKeys.MEMBER_PORT, "0");
    return "true".equals(facts.get(KvRoleKeys.MEMBER)) && !"0".equals(port) && PeerAddress.host(a, false) != null;
  }

  /**
   * Whether a leaving node may be deleted now (its VM released after its graceful leave): one at a
   * time, so the store never loses a node and its backup together. None other may be going, and it
   * must be the highest leaving slot. A node that never became a member holds no entries: it goes at once.
   */
  static boolean mayRelease(Collection<Agent> agents, Set<String> keep, Agent leaving) {
    if (!isMember(leaving)) {
      return true;
    }
    boolean anotherGoing = agents.stream().anyMatch(a -> a.getMetadata().getDeletionTimestamp() != null
        && !a.getMetadata().getName().equals(leaving.getMetadata().getName()) && a.getStatus() != null
        && a.getStatus().getFacts() != null && !"0".equals(a.getStatus().getFacts().getOrDefault(KvRoleKeys.MEMBER_PORT, "0")));
    if (anotherGoing) {
      return false;
    }
    Optional<Agent> next = agents.stream()
        .filter(a -> !keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .filter(ScalarisKind::isMember)
        .max(Comparator.comparingInt(AgentNames::index));
    return next.map(a -> a.getMetadata().getName().equals(leaving.getMetadata().getName())).orElse(true);
  }

  /**
   * endpoints: the first node's API, status page and Hazelcast member address (while it is a
   * member), then the other members' APIs.
   */
  static ServiceStatus withEndpoints(ServiceStatus status, Collection<Agent> agents, String first, Set<String> keep) {
    List<Endpoint> endpoints = new ArrayList<>();
    agents.stream()
        .filter(a -> keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .filter(ScalarisKind::isMember)
        .sorted(Comparator.comparingInt(AgentNames::index))
        .forEach(a -> {
          String port = a.getStatus().getFacts().get(KvRoleKeys.PORT);
          String host = PeerAddress.host(a, true);
          if (port == null || "0".equals(port) || host == null) {
            return;
          }
          String base = "http://" + PeerAddress.bracketed(host) + ":" + port + "/";
          if (a.getMetadata().getName().equals(first)) {
            // Hazelcast clients (cluster name: the store's) connect to the member port.
            endpoints.add(0, new Endpoint("hazelcast", PeerAddress.bracketed(host) + ":"
                + a.getStatus().getFacts().get(KvRoleKeys.MEMBER_PORT)));
            endpoints.add(0, new Endpoint("status", base));
            endpoints.add(0, new Endpoint("kv", base + "kv/"));
          } else {
            endpoints.add(new Endpoint("kv-" + AgentNames.index(a), base + "kv/"));
          }
        });
    status.setEndpoints(endpoints);
    return status;
  }
}
