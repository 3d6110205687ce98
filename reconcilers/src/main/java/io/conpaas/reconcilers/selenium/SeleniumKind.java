package io.conpaas.reconcilers.selenium;

import io.conpaas.agent.api.SeleniumRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.SeleniumService;
import io.conpaas.api.v1alpha1.SeleniumServiceSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.model.PeerAddress;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SeleniumService: one Selenium Grid hub and browser nodes. The nodes' configuration carries the
 * hub's address and event-bus ports (from the hub agent's facts), so a node registers only once
 * the hub runs, and a replaced hub gets its nodes back. A node is ready when the hub lists it as
 * UP; the hub when it serves. Leaving nodes drain (their agents answer LEAVING until their last
 * session ended, see VmRelease), all at once: a Grid node holds no data others need.
 * endpoints[0] is the Grid URL for RemoteWebDriver, [1] the Grid's console. Pure.
 */
public final class SeleniumKind implements ServiceKind<SeleniumService> {
  @Override
  public String scaleRole() {
    return SeleniumServiceSpec.ROLE_NODES;
  }

  @Override
  public KindPlan plan(ServiceContext<SeleniumService> context) {
    SeleniumService service = context.service();
    Collection<Agent> agents = context.agents();
    Optional<Agent> hub = hub(agents, context.keep());
    Map<String, String> nodes = new LinkedHashMap<>();
    nodes.put(SeleniumRoleKeys.SESSIONS, Integer.toString(service.getSpec().sessions()));
    String nodeCloud = agents.stream().filter(a -> SeleniumServiceSpec.ROLE_NODES.equals(a.getSpec().getRole()))
        .map(a -> a.getSpec().getCloud()).findFirst().orElse(null);
    hub.ifPresent(h -> {
      Map<String, String> facts = h.getStatus().getFacts();
      nodes.put(SeleniumRoleKeys.HUB_HOST, PeerAddress.host(h, nodeCloud));
      nodes.put(SeleniumRoleKeys.HUB_PORT, facts.get(SeleniumRoleKeys.PORT));
      nodes.put(SeleniumRoleKeys.HUB_PUBLISH_PORT, facts.get(SeleniumRoleKeys.PUBLISH_PORT));
      nodes.put(SeleniumRoleKeys.HUB_SUBSCRIBE_PORT, facts.get(SeleniumRoleKeys.SUBSCRIBE_PORT));
    });
    return KindPlan.of(Map.of(SeleniumServiceSpec.ROLE_HUB, Map.of(), SeleniumServiceSpec.ROLE_NODES, nodes))
        .withReady(SeleniumKind::ready)
        .withStatus(status -> withEndpoints(status, hub));
  }

  /** The hub serves (its ports are known); a node is registered with it and takes sessions. */
  static boolean ready(Agent a) {
    Map<String, String> facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    if (facts == null) {
      return false;
    }
    return SeleniumServiceSpec.ROLE_HUB.equals(a.getSpec().getRole()) ? hubServes(facts)
        : "true".equals(facts.get(SeleniumRoleKeys.REGISTERED));
  }

  /** The running, reachable hub this pass keeps whose Grid ports are known. */
  static Optional<Agent> hub(Collection<Agent> agents, Set<String> keep) {
    return agents.stream()
        .filter(a -> SeleniumServiceSpec.ROLE_HUB.equals(a.getSpec().getRole()))
        .filter(a -> keep.contains(a.getMetadata().getName()) && a.getMetadata().getDeletionTimestamp() == null)
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running
            && a.getStatus().getUnreachableSince() == null && a.getStatus().getFacts() != null)
        .filter(a -> hubServes(a.getStatus().getFacts()) && PeerAddress.host(a, false) != null)
        .findFirst();
  }

  private static boolean hubServes(Map<String, String> facts) {
    return port(facts.get(SeleniumRoleKeys.PORT)) && port(facts.get(SeleniumRoleKeys.PUBLISH_PORT))
        && port(facts.get(SeleniumRoleKeys.SUBSCRIBE_PORT));
  }

  private static boolean port(String value) {
    return value != null && value.matches("[1-9][0-9]{0,4}");
  }

  /** endpoints: the Grid URL (RemoteWebDriver's address) and its console, while the hub serves. */
  static ServiceStatus withEndpoints(ServiceStatus status, Optional<Agent> hub) {
    status.setEndpoints(hub.map(h -> {
      String host = PeerAddress.host(h, true);
      if (host == null) {
        return List.<Endpoint>of();
      }
      String base = "http://" + PeerAddress.bracketed(host) + ":" + h.getStatus().getFacts().get(SeleniumRoleKeys.PORT);
      return List.of(new Endpoint("grid", base + "/"), new Endpoint("console", base + "/ui/"));
    }).orElse(List.of()));
    return status;
  }
}
