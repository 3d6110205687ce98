package io.conpaas.reconcilers.vpn;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.VpnRelaySpec;
import io.conpaas.api.v1alpha1.VpnRelayStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An application's operator-run VPN relay (spec.vpn.relay), pure: the one Agent it wants (role
 * relay, owned by the Application, no service, no VPN place: it holds no WireGuard key), which
 * existing relay Agents go (a changed spec gets a new name, so the old VM goes once the new one is
 * asked for), what the Application's status says, and the relay endpoint each agent of the
 * application is given (before vpn.bootstrapNodes' relays).
 */
public final class ApplicationRelay {
  private ApplicationRelay() {}

  /** What to do now: the Agent to create (absent when it exists or none is wanted), those to delete, the status. */
  public record Plan(Optional<Agent> create, List<String> delete, VpnRelayStatus status) {}

  /** Whether an Agent is an application's relay (not a service's agent). */
  public static boolean isRelay(Agent a) {
    return a.getSpec() != null && VpnConfig.RELAY_KIND.equals(a.getSpec().getServiceKind())
        && VpnConfig.RELAY_ROLE.equals(a.getSpec().getRole());
  }

  /**
   * The plan for app given its relay Agents (those it owns; others are ignored) and, when the
   * relay's Cloud refuses the namespace or instance type, why (then no Agent is made).
   */
  public static Plan plan(Application app, Collection<Agent> relays, String cloudRefusal) {
    List<Agent> owned = relays.stream().filter(ApplicationRelay::isRelay).filter(a -> ownedBy(a, app))
        .sorted(Comparator.comparing(a -> a.getMetadata().getName())).toList();
    Optional<Agent> want = cloudRefusal == null ? desired(app) : Optional.empty();
    String wanted = want.map(a -> a.getMetadata().getName()).orElse(null);
    List<String> delete = owned.stream().filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .map(a -> a.getMetadata().getName()).filter(n -> !n.equals(wanted)).toList();
    Optional<Agent> current = owned.stream().filter(a -> a.getMetadata().getName().equals(wanted)).findFirst();
    VpnRelayStatus status = null;
    if (requested(app)) {
      if (cloudRefusal != null) {
        status = new VpnRelayStatus(null, null, false, cloudRefusal);
      } else if (current.isEmpty()) {
        status = new VpnRelayStatus(wanted, null, false, "creating the relay's Agent");
      } else {
        boolean ready = usable(current.get());
        Optional<String> endpoint = ready ? endpoint(current.get(), false) : Optional.empty();
        status = new VpnRelayStatus(wanted, endpoint.orElse(null), ready, ready ? null
            : "the relay's VM is " + (current.get().getStatus() == null || current.get().getStatus().getPhase() == null
                ? "Pending" : current.get().getStatus().getPhase()));
      }
    }
    return new Plan(current.isPresent() ? Optional.empty() : want, delete, status);
  }

  /** Whether the Application asks for a relay (and has a VPN). */
  public static boolean requested(Application app) {
    return ServiceVpn.enabled(app) && app.getSpec().getVpn().getRelay() != null
        && app.getSpec().getVpn().getRelay().getCloud() != null && !app.getSpec().getVpn().getRelay().getCloud().isBlank();
  }

  /** The relay Agent the Application wants, or empty. */
  static Optional<Agent> desired(Application app) {
    if (!requested(app)) {
      return Optional.empty();
    }
    VpnRelaySpec spec = app.getSpec().getVpn().getRelay();
    String appName = app.getMetadata().getName();
    Map<String, String> config = new TreeMap<>();
    config.put(VpnConfig.RELAY_CONFIG_PORT, Integer.toString(spec.portOrDefault()));
    Map<String, String> shape = new TreeMap<>(config);
    shape.put("cloud", spec.getCloud());
    shape.put("instanceType", Objects.toString(spec.getInstanceType(), ""));
    // The name says which spec it runs: a change makes a new relay first, then the old one goes.
    String name = appName + "-vpn-relay-" + ConfigHash.of(shape).substring(0, 6);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ApiConstants.LABEL_APPLICATION, appName);
    labels.put(ApiConstants.LABEL_ROLE, VpnConfig.RELAY_ROLE);
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(app.getApiVersion())
            .withKind(app.getKind())
            .withName(appName)
            .withUid(app.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build())
        .build());
    AgentSpec s = new AgentSpec();
    s.setRole(VpnConfig.RELAY_ROLE);
    s.setServiceKind(VpnConfig.RELAY_KIND);
    s.setCloud(spec.getCloud());
    s.setInstanceType(spec.getInstanceType());
    s.setConfig(config);
    agent.setSpec(s);
    return Optional.of(agent);
  }

  private static boolean ownedBy(Agent a, Application app) {
    return a.getMetadata().getOwnerReferences() != null && a.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> "Application".equals(o.getKind()) && app.getMetadata().getName().equals(o.getName()));
  }

  /** Whether the relay runs and said which port it listens on. */
  static boolean usable(Agent relay) {
    return relay.getMetadata().getDeletionTimestamp() == null && relay.getStatus() != null
        && (relay.getStatus().getPhase() == AgentPhase.Running || relay.getStatus().getPhase() == AgentPhase.Configuring)
        && relay.getStatus().getFacts() != null && relay.getStatus().getFacts().get(VpnConfig.FACT_RELAY_PORT) != null
        && relay.getStatus().getAddresses() != null && relay.getStatus().getAddresses().getPrivateAddress() != null;
  }

  /**
   * Where an agent sends to the relay: its private address from its own Cloud, else its public one,
   * at the port it reports (else the configured one). Kept while its VM is replaced (the address
   * stays until a new VM has one), so relayed pairs stay relayed and pick the new VM up.
   */
  private static Optional<String> endpoint(Agent relay, boolean sameCloud) {
    if (relay.getMetadata().getDeletionTimestamp() != null || relay.getStatus() == null
        || relay.getStatus().getAddresses() == null) {
      return Optional.empty();
    }
    String port = relay.getStatus().getFacts() == null ? null : relay.getStatus().getFacts().get(VpnConfig.FACT_RELAY_PORT);
    if (port == null) {
      port = relay.getSpec().getConfig().get(VpnConfig.RELAY_CONFIG_PORT);
    }
    var addresses = relay.getStatus().getAddresses();
    String host = sameCloud || addresses.getPublicAddress() == null ? addresses.getPrivateAddress()
        : addresses.getPublicAddress();
    return host == null || port == null ? Optional.empty() : Optional.of(host + ":" + port);
  }

  /**
   * The relays an agent of a VPN application uses, in order of preference: its application's own
   * (when it runs) first, then the operator's (vpn.bootstrapNodes).
   */
  public static List<String> relaysFor(Agent self, Collection<Agent> all, List<String> operatorRelays) {
    List<String> relays = new java.util.ArrayList<>();
    all.stream().filter(ApplicationRelay::isRelay).filter(r -> VpnPeers.sameApplication(self, r))
        .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
        .forEach(r -> endpoint(r, Objects.equals(self.getSpec().getCloud(), r.getSpec().getCloud()))
            .ifPresent(relays::add));
    for (String r : operatorRelays) {
      if (!relays.contains(r)) {
        relays.add(r);
      }
    }
    return relays.size() > VpnConfig.MAX_RELAYS ? List.copyOf(relays.subList(0, VpnConfig.MAX_RELAYS)) : relays;
  }

  /** What about a relay Agent its application's agents' configuration depends on. */
  public static String view(Agent relay) {
    return endpoint(relay, false).orElse("") + " " + endpoint(relay, true).orElse("") + " " + usable(relay);
  }
}
