package io.conpaas.agent.vpn;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which configured peers the agent hears from, from samples of WireGuard's per-peer received-byte
 * counters (with persistent keepalive a live peer sends something every few seconds, through a
 * relay too). A peer is down when its counter has not moved for the window, counted from when it
 * was (re)configured, so a new or rerouted peer gets the window as grace. Clock passed in: pure.
 */
final class PeerHealth {
  private record Seen(String route, long rx, long sinceNanos) {}

  private final Map<String, Seen> peers = new HashMap<>();

  /** The configured peers now, each with its route (a change of route restarts its grace). */
  void configure(Map<String, String> routeByPeer, long nowNanos) {
    peers.keySet().retainAll(routeByPeer.keySet());
    routeByPeer.forEach((peer, route) -> {
      Seen s = peers.get(peer);
      if (s == null || !s.route().equals(route)) {
        peers.put(peer, new Seen(route, s == null ? -1 : s.rx(), nowNanos));
      }
    });
  }

  /** A sample of the received-byte counters. */
  void sample(Map<String, Long> rxByPeer, long nowNanos) {
    rxByPeer.forEach((peer, rx) -> {
      Seen s = peers.get(peer);
      if (s != null && rx != s.rx()) {
        peers.put(peer, new Seen(s.route(), rx, s.rx() < 0 && rx == 0 ? s.sinceNanos() : nowNanos));
      }
    });
  }

  /** The peers silent for longer than the window, sorted. */
  Set<String> down(long nowNanos, long windowNanos) {
    Set<String> down = new TreeSet<>();
    peers.forEach((peer, s) -> {
      if (nowNanos - s.sinceNanos() > windowNanos) {
        down.add(peer);
      }
    });
    return down;
  }

  /** How many configured peers have sent anything since they were configured (received bytes above zero). */
  int heard() {
    return (int) peers.values().stream().filter(s -> s.rx() > 0).count();
  }
}
