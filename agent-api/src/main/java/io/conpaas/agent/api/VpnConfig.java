package io.conpaas.agent.api;

import java.util.List;

/**
 * What the operator pushes an agent of a VPN application (PUT {@link #PATH}): its own VPN address,
 * the application's network (routed over the VPN interface) and its peers, every other agent of
 * the application with a key. Public keys only: each agent's private key never leaves its VM.
 */
public record VpnConfig(String address, String network, List<Peer> peers) {
  public static final String PATH = "/vpn";
  /** Agent facts: the agent's WireGuard public key (base64) and the UDP port it listens on. */
  public static final String FACT_PUBLIC_KEY = "vpnPublicKey";
  public static final String FACT_LISTEN_PORT = "vpnListenPort";
  /** The UDP port agents listen on (WireGuard's usual). */
  public static final int DEFAULT_LISTEN_PORT = 51820;
  /** At most this many peers in one push (a bound on the agent's work and the body). */
  public static final int MAX_PEERS = 4096;

  public VpnConfig {
    peers = peers == null ? List.of() : List.copyOf(peers);
  }

  /** One peer: its public key, its underlay endpoint (ip:port) and the VPN address it may use (a.b.c.d/32). */
  public record Peer(String publicKey, String endpoint, String allowedIp) {}
}
