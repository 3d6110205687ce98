package io.conpaas.agent.api;

import java.util.List;

/**
 * What the operator pushes an agent of a VPN application (PUT {@link #PATH}): its own VPN address,
 * the application's network (routed over the VPN interface), its peers (every other agent of the
 * application with a key) and the relays (vpn.bootstrapNodes) that carry its traffic to peers it
 * cannot reach directly. Public keys only: each agent's private key never leaves its VM.
 */
public record VpnConfig(String address, String network, List<Peer> peers, List<String> relays, Integer keepaliveSeconds) {
  public static final String PATH = "/vpn";
  /** Agent facts: the agent's WireGuard public key (base64) and the UDP port it listens on. */
  public static final String FACT_PUBLIC_KEY = "vpnPublicKey";
  public static final String FACT_LISTEN_PORT = "vpnListenPort";
  /**
   * Agent facts, the reachability signal: the public keys (comma-separated, sorted) of the peers the
   * agent heard nothing from (no WireGuard handshake or keepalive) within {@link #downAfterSeconds}
   * although configured at least that long; and of the peers it sends through a relay.
   */
  public static final String FACT_PEERS_DOWN = "vpnPeersDown";
  public static final String FACT_RELAYED = "vpnRelayed";
  /** Agent fact: how many configured peers it has received anything from over WireGuard (positive reachability). */
  public static final String FACT_PEERS_HEARD = "vpnPeersHeard";
  /** Agent fact: the WireGuard data plane in use, {@code kernel} or {@code wireguard-go}. */
  public static final String FACT_DATA_PLANE = "vpnDataPlane";
  /** Agent fact: the relay (ip:port) that answers it, or "none". */
  public static final String FACT_RELAY = "vpnRelay";
  /**
   * An operator-run relay (Application spec.vpn.relay) is an agent of kind {@link #RELAY_KIND} and role
   * {@link #RELAY_ROLE}; its configuration key {@link #RELAY_CONFIG_PORT} is the UDP port, and it reports
   * the port it listens on as fact {@link #FACT_RELAY_PORT}.
   */
  public static final String RELAY_KIND = "Application";
  public static final String RELAY_ROLE = "relay";
  public static final String RELAY_CONFIG_PORT = "port";
  public static final String FACT_RELAY_PORT = "vpnRelayPort";
  /** The relay's port when none is configured (the CRD's VpnRelaySpec.DEFAULT_PORT says the same). */
  public static final int DEFAULT_RELAY_PORT = 51821;
  /** The UDP port agents listen on (WireGuard's usual). */
  public static final int DEFAULT_LISTEN_PORT = 51820;
  /** WireGuard persistent keepalive unless pushed otherwise: every peer hears from a live peer this often. */
  public static final int DEFAULT_KEEPALIVE_SECONDS = 2;
  /** At most this many peers in one push (a bound on the agent's work and the body). */
  public static final int MAX_PEERS = 4096;
  public static final int MAX_RELAYS = 16;

  public VpnConfig {
    peers = peers == null ? List.of() : List.copyOf(peers);
    relays = relays == null ? List.of() : List.copyOf(relays);
    keepaliveSeconds = keepaliveSeconds == null ? DEFAULT_KEEPALIVE_SECONDS : keepaliveSeconds;
  }

  /** Without relays, the default keepalive. */
  public VpnConfig(String address, String network, List<Peer> peers) {
    this(address, network, peers, List.of(), DEFAULT_KEEPALIVE_SECONDS);
  }

  /** Silence after which a peer counts as down: three keepalives and a handshake retry (5 s) lost. */
  public int downAfterSeconds() {
    return 3 * keepaliveSeconds + 5;
  }

  /**
   * One peer: its public key, its underlay endpoint (ip:port), the VPN address it may use
   * (a.b.c.d/32), and whether to send to it through a relay instead of its endpoint.
   */
  public record Peer(String publicKey, String endpoint, String allowedIp, boolean relayed) {
    public Peer(String publicKey, String endpoint, String allowedIp) {
      this(publicKey, endpoint, allowedIp, false);
    }
  }
}
