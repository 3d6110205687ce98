package io.conpaas.reconcilers.model;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.WebServiceSpec;
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
 * How the roles of a web hosting service (manual 2.3/2.4) are wired together, from what the
 * Agents report: the proxy balances over the backends and web servers that serve now; backends
 * share the PHP sessions of the first serving proxy; a leaving backend is released only once
 * every proxy runs a list without it (ConPaaS: remove from the load balancer, then the VM). Pure.
 */
public final class WebTopology {
  private final Collection<Agent> agents;
  private final Set<String> desiredNames;
  private final boolean sessions;

  /**
   * agents: the service's existing Agents; desiredNames: the Agents the service keeps (the others
   * are leaving); sessions: whether backends share sessions through the proxy (PHP).
   */
  public WebTopology(Collection<Agent> agents, Set<String> desiredNames, boolean sessions) {
    this.agents = agents;
    this.desiredNames = desiredNames;
    this.sessions = sessions;
  }

  /** Each role's configuration: activeVersion (only if stored) and debug for code roles, lists for the proxy. */
  public Map<String, Map<String, String>> config(String activeVersion, Boolean debug) {
    Map<String, String> code = new LinkedHashMap<>();
    if (activeVersion != null && !activeVersion.isBlank()) {
      code.put(WebRoleKeys.ACTIVE_VERSION, activeVersion);
    }
    Map<String, String> backend = new LinkedHashMap<>(code);
    if (debug != null) {
      backend.put(WebRoleKeys.DEBUG, Boolean.toString(debug));
    }
    if (sessions) {
      sessionStore().ifPresent(url -> backend.put(WebRoleKeys.SESSION_STORE, url));
    }
    Map<String, String> proxy = new LinkedHashMap<>();
    proxy.put(WebRoleKeys.BACKENDS, String.join(",", serving(WebServiceSpec.ROLE_BACKEND)));
    proxy.put(WebRoleKeys.WEB, String.join(",", serving(WebServiceSpec.ROLE_WEB)));
    return Map.of(WebServiceSpec.ROLE_BACKEND, backend, WebServiceSpec.ROLE_WEB, code,
        WebServiceSpec.ROLE_PROXY, proxy);
  }

  /**
   * host:port of the role's Agents that may take traffic: kept (not leaving), Running (health
   * checked and configured, so new backends join only when they answer) and reporting a port.
   */
  public List<String> serving(String role) {
    String proxyCloud = cloudOf(WebServiceSpec.ROLE_PROXY);
    return agents.stream()
        .filter(a -> role.equals(a.getSpec().getRole()))
        .filter(a -> desiredNames.contains(a.getMetadata().getName()))
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .map(a -> address(a, proxyCloud))
        .flatMap(Optional::stream)
        .toList();
  }

  /** The Cloud a role's agents run on (all agents of a role share one), or null when it has none. */
  private String cloudOf(String role) {
    return agents.stream().filter(a -> role.equals(a.getSpec().getRole())).map(a -> a.getSpec().getCloud())
        .filter(Objects::nonNull).findFirst().orElse(null);
  }

  /**
   * Whether a leaving Agent's VM may go now: a backend or web server must first be out of the
   * list of every running proxy, and that proxy must confirm it runs that list (its reload waits
   * for requests in flight). Agents that never served can always go.
   */
  public boolean mayRelease(Agent leaving) {
    String role = leaving.getSpec().getRole();
    if (!WebServiceSpec.ROLE_BACKEND.equals(role) && !WebServiceSpec.ROLE_WEB.equals(role)) {
      return true;
    }
    String key = WebServiceSpec.ROLE_BACKEND.equals(role) ? WebRoleKeys.BACKENDS : WebRoleKeys.WEB;
    for (Agent proxy : agents) {
      if (!WebServiceSpec.ROLE_PROXY.equals(proxy.getSpec().getRole()) || proxy.getStatus() == null
          || proxy.getStatus().getPhase() != AgentPhase.Running) {
        continue;
      }
      Optional<String> address = address(leaving, proxy.getSpec().getCloud());
      if (address.isEmpty()) {
        // It never served: no proxy can be sending it requests.
        continue;
      }
      Map<String, String> config = proxy.getSpec().getConfig();
      boolean listed = List.of(config.getOrDefault(key, "").split(",")).contains(address.get());
      boolean applied = Objects.equals(proxy.getStatus().getAppliedConfigHash(), ConfigHash.of(config));
      if (listed || !applied) {
        return false;
      }
    }
    return true;
  }

  /** The service's URLs: one per serving proxy, on its public address when it has one. */
  public List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    agents.stream()
        .filter(a -> WebServiceSpec.ROLE_PROXY.equals(a.getSpec().getRole()))
        .filter(a -> desiredNames.contains(a.getMetadata().getName()))
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .forEach(a -> {
          String port = a.getStatus().getFacts().get(WebRoleKeys.PORT);
          String host = host(a, true);
          if (port != null && host != null) {
            endpoints.add(new Endpoint("http", "http://" + bracketed(host) + ":" + port + "/"));
          }
        });
    return endpoints;
  }

  /**
   * The version every serving backend and web server reports, or empty while they differ (an
   * activation in progress) or none serves.
   */
  public Optional<String> servedVersion() {
    List<String> versions = agents.stream()
        .filter(a -> WebServiceSpec.ROLE_BACKEND.equals(a.getSpec().getRole())
            || WebServiceSpec.ROLE_WEB.equals(a.getSpec().getRole()))
        .filter(a -> desiredNames.contains(a.getMetadata().getName()))
        .filter(ServiceStatusBuilder::isReady)
        .map(a -> a.getStatus().getFacts().getOrDefault(WebRoleKeys.ACTIVE_VERSION, ""))
        .distinct().toList();
    return versions.size() == 1 ? Optional.of(versions.get(0)) : Optional.empty();
  }

  /** The session store URL of the first serving proxy that has one, as the backends reach it. */
  private Optional<String> sessionStore() {
    String backendCloud = cloudOf(WebServiceSpec.ROLE_BACKEND);
    return agents.stream()
        .filter(a -> WebServiceSpec.ROLE_PROXY.equals(a.getSpec().getRole()))
        .filter(a -> desiredNames.contains(a.getMetadata().getName()))
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .filter(a -> a.getStatus().getFacts().containsKey(WebRoleKeys.SESSION_PORT)
            && peerHost(a, backendCloud) != null)
        .map(a -> "http://" + bracketed(peerHost(a, backendCloud)) + ":"
            + a.getStatus().getFacts().get(WebRoleKeys.SESSION_PORT) + "/sessions/")
        .findFirst();
  }

  /** host:port where agents on fromCloud reach the Agent's role server. */
  static Optional<String> address(Agent a, String fromCloud) {
    if (a.getStatus() == null || a.getStatus().getFacts() == null) {
      return Optional.empty();
    }
    String port = a.getStatus().getFacts().get(WebRoleKeys.PORT);
    String host = peerHost(a, fromCloud);
    return port == null || host == null || "0".equals(port) ? Optional.empty()
        : Optional.of(bracketed(host) + ":" + port);
  }

  private static String peerHost(Agent a, String fromCloud) {
    return PeerAddress.host(a, fromCloud);
  }

  private static String host(Agent a, boolean preferPublic) {
    return PeerAddress.host(a, preferPublic);
  }

  private static String bracketed(String host) {
    return PeerAddress.bracketed(host);
  }
}
