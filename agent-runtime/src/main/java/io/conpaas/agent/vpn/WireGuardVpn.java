package io.conpaas.agent.vpn;

import io.conpaas.agent.api.VpnConfig;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's end of its application's VPN: a WireGuard interface (the kernel's where it has
 * WireGuard, as in the VM image, else wireguard-go, the userspace implementation) brought up on the
 * first push with a key pair made here, then kept in line with each pushed peer list. The private key goes from memory to wg's
 * standard input, nowhere else; only the public key is reported (facts).
 */
public final class WireGuardVpn implements AutoCloseable {
  /** The interface name (unique on a host whose agents share /var/run/wireguard); default conpaas0. */
  public static final String INTERFACE_ENV = "CONPAAS_VPN_INTERFACE";
  /** Set by a local cloud for an agent in the host's own network namespace: no VPN interface there. */
  public static final String SHARED_NETWORK_ENV = "CONPAAS_AGENT_SHARED_NETWORK";
  private static final Duration INTERFACE_WAIT = Duration.ofSeconds(5);

  private final String ifname;
  private final boolean sharedNetwork;
  private final Path workDir;
  private ChildProcess daemon;
  private VpnDataPlane dataPlane;
  private String publicKey;
  private String address;
  private RelayLink relayLink;
  private final PeerHealth health = new PeerHealth();
  private long windowNanos = Duration.ofSeconds(new VpnConfig(null, null, null).downAfterSeconds()).toNanos();
  private long lastSampleNanos;
  private boolean sampled;
  private Set<String> relayed = Set.of();

  public WireGuardVpn(String ifname, boolean sharedNetwork, Path workDir) {
    if (!ifname.matches("[a-zA-Z0-9_-]{1,15}")) {
      throw new IllegalArgumentException(INTERFACE_ENV + " must be a Linux interface name, got " + ifname);
    }
    this.ifname = ifname;
    this.sharedNetwork = sharedNetwork;
    this.workDir = workDir;
  }

  public static WireGuardVpn fromEnvironment(Map<String, String> env, Path workDir) {
    return new WireGuardVpn(env.getOrDefault(INTERFACE_ENV, "conpaas0"), "true".equals(env.get(SHARED_NETWORK_ENV)),
        workDir);
  }

  /** Applies a pushed configuration (IllegalArgumentException when it cannot be); returns the VPN facts. */
  public synchronized Map<String, String> apply(VpnConfig config) {
    VpnConfigCheck.check(config);
    if (sharedNetwork) {
      throw new IllegalArgumentException("this agent shares its host's network namespace: it makes no VPN interface "
          + "there (a local Cloud isolates the agents of a VPN application in namespaces of their own)");
    }
    if (publicKey == null || !interfaceAlive()) {
      up();
    }
    String wanted = config.address() + "/" + VpnConfigCheck.prefix(config.network());
    if (!wanted.equals(address)) {
      WgCommand.run(List.of(ip(), "addr", "flush", "dev", ifname));
      WgCommand.run(List.of(ip(), "addr", "add", wanted, "dev", ifname));
      WgCommand.run(List.of(ip(), "link", "set", ifname, "up"));
      address = wanted;
    }
    Map<String, Integer> relayPorts = syncRelays(config);
    syncPeers(config.peers(), relayPorts, config.keepaliveSeconds());
    windowNanos = Duration.ofSeconds(config.downAfterSeconds()).toNanos();
    return facts();
  }

  /**
   * The public key and listen port once the interface is up, else nothing; with peers, the
   * reachability signal too: the peers it has not heard from, those it sends through a relay, and
   * the relay that answers (see {@link VpnConfig#FACT_PEERS_DOWN}).
   */
  public synchronized Map<String, String> facts() {
    if (publicKey == null) {
      return Map.of();
    }
    Map<String, String> facts = new java.util.TreeMap<>();
    facts.put(VpnConfig.FACT_PUBLIC_KEY, publicKey);
    facts.put(VpnConfig.FACT_LISTEN_PORT, Integer.toString(VpnConfig.DEFAULT_LISTEN_PORT));
    facts.put(VpnConfig.FACT_DATA_PLANE, dataPlane.fact());
    long now = System.nanoTime();
    if (interfaceAlive() && (!sampled || now - lastSampleNanos > 500_000_000L)) {
      health.sample(transfer(), now);
      lastSampleNanos = now;
      sampled = true;
    }
    Set<String> down = health.down(now, windowNanos);
    if (!down.isEmpty()) {
      facts.put(VpnConfig.FACT_PEERS_DOWN, String.join(",", down));
    }
    facts.put(VpnConfig.FACT_PEERS_HEARD, Integer.toString(health.heard()));
    if (!relayed.isEmpty()) {
      facts.put(VpnConfig.FACT_RELAYED, String.join(",", new java.util.TreeSet<>(relayed)));
    }
    if (relayLink != null) {
      facts.put(VpnConfig.FACT_RELAY, relayLink.active().map(a -> a.getHostString() + ":" + a.getPort())
          .orElse("none"));
    }
    return facts;
  }

  /** WireGuard's received bytes per peer. */
  private Map<String, Long> transfer() {
    Map<String, Long> rx = new java.util.HashMap<>();
    for (String line : WgCommand.run(List.of(wg(), "show", ifname, "transfer")).split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[1].matches("\\d{1,19}")) {
        rx.put(f[0], Long.parseLong(f[1]));
      }
    }
    return rx;
  }

  /** The relay link for the pushed relays (made, replaced or closed); each relayed peer's loopback port. */
  private Map<String, Integer> syncRelays(VpnConfig config) {
    List<java.net.InetSocketAddress> relays = config.relays().stream()
        .map(r -> VpnConfigCheck.endpoint(r, "relay")).toList();
    if (relayLink != null && !relayLink.relays().equals(relays)) {
      relayLink.close();
      relayLink = null;
    }
    if (relays.isEmpty()) {
      relayed = Set.of();
      return Map.of();
    }
    try {
      if (relayLink == null) {
        relayLink = new RelayLink(relays, publicKey, VpnConfig.DEFAULT_LISTEN_PORT);
      }
      Set<String> wanted = new LinkedHashSet<>();
      config.peers().stream().filter(VpnConfig.Peer::relayed).forEach(p -> wanted.add(p.publicKey()));
      relayed = Set.copyOf(wanted);
      return relayLink.sync(wanted);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot open the relay link: " + e.getMessage(), e);
    }
  }

  private void up() {
    close();
    // An interface left by an earlier run of this agent (its key is lost with that process).
    try {
      WgCommand.run(List.of(ip(), "link", "del", ifname));
    } catch (IllegalStateException e) {
      // None: the usual case.
    }
    String probeError = null;
    try {
      // Bounded (WgCommand's time limit) and checked: the kernel makes the interface or says why not.
      WgCommand.run(List.of(ip(), "link", "add", ifname, "type", "wireguard"));
    } catch (IllegalStateException e) {
      probeError = e.getMessage();
    }
    dataPlane = VpnDataPlane.choose(probeError);
    if (dataPlane == VpnDataPlane.WIREGUARD_GO) {
      startWireguardGo();
    }
    WgCommand.run(List.of(wg(), "set", ifname, "listen-port", Integer.toString(VpnConfig.DEFAULT_LISTEN_PORT),
        "private-key", "/dev/stdin"), newPrivateKey());
    publicKey = WgCommand.run(List.of(wg(), "show", ifname, "public-key")).strip();
    address = null;
  }

  /** The interface is there: the kernel's stays until deleted, wireguard-go's lives with its daemon. */
  private boolean interfaceAlive() {
    return dataPlane == VpnDataPlane.KERNEL || (daemon != null && daemon.alive());
  }

  /** Starts wireguard-go and waits (bounded) until wg sees its interface. */
  private void startWireguardGo() {
    daemon = ChildProcess.start("wireguard-go", List.of(Binaries.find("wireguard-go").toString(), "-f", ifname),
        workDir, workDir.resolve("wireguard-go.log"));
    long deadline = System.nanoTime() + INTERFACE_WAIT.toNanos();
    while (true) {
      try {
        WgCommand.run(List.of(wg(), "show", ifname, "listen-port"));
        break;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline || !daemon.alive()) {
          throw new IllegalStateException("wireguard-go did not make " + ifname + ": " + daemon.logTail(), e);
        }
        ChildProcess.sleep(20);
      }
    }
  }

  /** One wg call: every wanted peer set (endpoint, its one allowed address), every other peer removed. */
  private void syncPeers(List<VpnConfig.Peer> peers, Map<String, Integer> relayPorts, int keepalive) {
    Set<String> current = new LinkedHashSet<>(WgCommand.run(List.of(wg(), "show", ifname, "peers")).lines()
        .map(String::strip).filter(l -> !l.isEmpty()).toList());
    List<String> args = new ArrayList<>(List.of(wg(), "set", ifname));
    Set<String> wanted = new LinkedHashSet<>();
    Map<String, String> routes = new java.util.HashMap<>();
    for (VpnConfig.Peer p : peers) {
      wanted.add(p.publicKey());
      // A relayed peer is sent to this agent's loopback port for it (the relay link forwards it).
      String endpoint = p.relayed() ? "127.0.0.1:" + relayPorts.get(p.publicKey()) : p.endpoint();
      routes.put(p.publicKey(), endpoint);
      args.addAll(List.of("peer", p.publicKey(), "endpoint", endpoint, "allowed-ips", p.allowedIp(),
          "persistent-keepalive", Integer.toString(keepalive)));
    }
    health.configure(routes, System.nanoTime());
    for (String k : current) {
      if (!wanted.contains(k)) {
        args.addAll(List.of("peer", k, "remove"));
      }
    }
    if (args.size() > 3) {
      WgCommand.run(args);
    }
  }

  /** A fresh Curve25519 private key, clamped as wg genkey does, base64. */
  private static String newPrivateKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    String encoded = Base64.getEncoder().encodeToString(k);
    java.util.Arrays.fill(k, (byte) 0);
    return encoded + "\n";
  }

  private static String wg() {
    return Binaries.find("wg").toString();
  }

  private static String ip() {
    return Binaries.find("ip").toString();
  }

  /** Stops wireguard-go (its interface goes with it) or deletes the kernel's interface. */
  @Override
  public synchronized void close() {
    if (relayLink != null) {
      relayLink.close();
      relayLink = null;
    }
    relayed = Set.of();
    if (daemon != null) {
      daemon.stop(Duration.ofSeconds(2));
      daemon = null;
    }
    if (dataPlane == VpnDataPlane.KERNEL) {
      try {
        WgCommand.run(List.of(ip(), "link", "del", ifname));
      } catch (IllegalStateException e) {
        // Already gone.
      }
    }
    dataPlane = null;
    publicKey = null;
    address = null;
  }
}
