package io.conpaas.reconcilers.vpn;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An agent's VPN configuration, pure: its address and every other live agent of the same
 * application (same namespace and application label) that reported a public key, with the
 * underlay endpoint to reach it (private address within one Cloud, else public) and the one VPN
 * address it may send from. Agents of other applications are never peers; a VM being replaced
 * (new token, facts cleared) is no peer until its new key is known.
 */
public final class VpnPeers {
  private VpnPeers() {}

  /** The configuration agent should run now; empty when it has no VPN place. */
  public static Optional<VpnConfig> of(Agent agent, Collection<Agent> all) {
    return of(agent, all, List.of());
  }

  /**
   * With relays (ip:port, from vpn.bootstrapNodes): pairs {@link VpnRoutes} calls relayed go through
   * them, or first through the application's own relay when it runs one ({@link ApplicationRelay}).
   */
  public static Optional<VpnConfig> of(Agent agent, Collection<Agent> all, List<String> operatorRelays) {
    if (agent.getSpec() == null || agent.getSpec().getVpn() == null) {
      return Optional.empty();
    }
    List<String> relays = ApplicationRelay.relaysFor(agent, all, operatorRelays);
    List<VpnConfig.Peer> peers = all.stream()
        .filter(o -> !o.getMetadata().getName().equals(agent.getMetadata().getName()))
        .filter(o -> sameApplication(agent, o))
        .filter(VpnPeers::reachable)
        .sorted(Comparator.comparing(o -> o.getSpec().getVpn().getAddress()))
        .map(o -> new VpnConfig.Peer(o.getStatus().getFacts().get(VpnConfig.FACT_PUBLIC_KEY),
            endpoint(agent, o), o.getSpec().getVpn().getAddress() + "/32",
            VpnRoutes.relayed(agent, o, !relays.isEmpty())))
        .toList();
    return Optional.of(new VpnConfig(agent.getSpec().getVpn().getAddress(), agent.getSpec().getVpn().getNetwork(),
        peers, relays, VpnConfig.DEFAULT_KEEPALIVE_SECONDS));
  }

  /** A stable digest of a configuration (recorded in the Agent's status once the agent applied it). */
  public static String hash(VpnConfig config) {
    Map<String, String> flat = new TreeMap<>();
    flat.put("address", config.address());
    flat.put("network", config.network());
    for (VpnConfig.Peer p : config.peers()) {
      flat.put("peer." + p.publicKey(), p.endpoint() + " " + p.allowedIp() + (p.relayed() ? " relayed" : ""));
    }
    flat.put("relays", String.join(",", config.relays()));
    flat.put("keepalive", Integer.toString(config.keepaliveSeconds()));
    return ConfigHash.of(flat);
  }

  static boolean sameApplication(Agent a, Agent b) {
    String app = label(a);
    return app != null && app.equals(label(b))
        && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }

  /** On the VPN now: a VPN place, a running VM that reported its key, an address to reach it, not leaving. */
  static boolean reachable(Agent o) {
    return o.getSpec() != null && o.getSpec().getVpn() != null && o.getMetadata().getDeletionTimestamp() == null
        && o.getStatus() != null && o.getStatus().getFacts() != null
        && o.getStatus().getFacts().get(VpnConfig.FACT_PUBLIC_KEY) != null
        && (o.getStatus().getPhase() == AgentPhase.Running || o.getStatus().getPhase() == AgentPhase.Configuring)
        && o.getStatus().getAddresses() != null && o.getStatus().getAddresses().getPrivateAddress() != null;
  }

  private static String endpoint(Agent self, Agent peer) {
    var addresses = peer.getStatus().getAddresses();
    boolean sameCloud = Objects.equals(self.getSpec().getCloud(), peer.getSpec().getCloud());
    String host = sameCloud || addresses.getPublicAddress() == null ? addresses.getPrivateAddress()
        : addresses.getPublicAddress();
    String port = peer.getStatus().getFacts().getOrDefault(VpnConfig.FACT_LISTEN_PORT,
        Integer.toString(VpnConfig.DEFAULT_LISTEN_PORT));
    return host + ":" + port;
  }

  private static String label(Agent a) {
    return a.getMetadata().getLabels() == null ? null : a.getMetadata().getLabels().get(ApiConstants.LABEL_APPLICATION);
  }

  /** What about an agent its peers' configuration depends on (a change of it is a membership change). */
  public static String membershipView(Agent a) {
    if (a.getSpec() == null || a.getSpec().getVpn() == null) {
      return "";
    }
    if (!reachable(a)) {
      return "off";
    }
    return a.getSpec().getVpn().getAddress() + " " + a.getStatus().getFacts().get(VpnConfig.FACT_PUBLIC_KEY) + " "
        + a.getStatus().getAddresses().getPrivateAddress() + " " + a.getStatus().getAddresses().getPublicAddress() + " "
        + a.getStatus().getFacts().get(VpnConfig.FACT_LISTEN_PORT) + " "
        // The reachability signal: its peers' routes depend on it.
        + a.getStatus().getFacts().get(VpnConfig.FACT_PEERS_DOWN) + " " + a.getStatus().getFacts().get(VpnConfig.FACT_RELAYED);
  }
}
