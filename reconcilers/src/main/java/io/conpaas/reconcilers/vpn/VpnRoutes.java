package io.conpaas.reconcilers.vpn;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Direct or relayed, per pair of agents, pure: every pair starts direct (underlay endpoint); a pair
 * goes through a relay when either agent reports the other down (no handshake or keepalive heard
 * within its window, facts {@link VpnConfig#FACT_PEERS_DOWN}) while direct, and stays relayed while
 * either reports it relayed ({@link VpnConfig#FACT_RELAYED}): the evidence that the underlays do not
 * reach each other lives on the agents, and a new key (a new VM) tries direct again. Without
 * relays every pair is direct.
 */
public final class VpnRoutes {
  private VpnRoutes() {}

  public static boolean relayed(Agent a, Agent b, boolean relaysConfigured) {
    if (!relaysConfigured) {
      return false;
    }
    String keyA = fact(a, VpnConfig.FACT_PUBLIC_KEY);
    String keyB = fact(b, VpnConfig.FACT_PUBLIC_KEY);
    if (keyA == null || keyB == null) {
      return false;
    }
    return evidence(a).contains(keyB) || evidence(b).contains(keyA);
  }

  /** The peers an agent reports down or relayed. */
  private static Set<String> evidence(Agent a) {
    return Arrays.stream((nonNull(fact(a, VpnConfig.FACT_PEERS_DOWN)) + "," + nonNull(fact(a, VpnConfig.FACT_RELAYED)))
        .split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  /** The public keys an agent reports down (its peers it cannot reach now). */
  public static Set<String> down(Agent a) {
    return Arrays.stream(nonNull(fact(a, VpnConfig.FACT_PEERS_DOWN)).split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static String fact(Agent a, String name) {
    Map<String, String> facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    return facts == null ? null : facts.get(name);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
