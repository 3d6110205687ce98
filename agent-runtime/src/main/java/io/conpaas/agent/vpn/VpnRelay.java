package io.conpaas.agent.vpn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A VPN relay (a vpn.bootstrapNodes entry, ConPaaS's VPN_BOOTSTRAP_NODES): a UDP forwarder on a
 * host every agent's underlay reaches. Agents register their WireGuard public key with HELLO
 * (every second); a DATA frame from a registered key goes to the registered address of its
 * destination key. It holds no key, decrypts nothing, and keeps only this table (bounded, entries
 * expire), so a restarted relay is whole again after the agents' next HELLO.
 * Run: {@code java -cp conpaas-agent.jar io.conpaas.agent.vpn.VpnRelay <ip> <port>}.
 */
public final class VpnRelay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VpnRelay.class.getName());
  /** Registrations older than this are forgotten (agents renew every second). */
  static final Duration EXPIRY = Duration.ofSeconds(30);
  static final int MAX_REGISTRATIONS = 65_536;

  private final DatagramChannel channel;
  private final Map<String, Registration> registered = new HashMap<>();
  private final Thread thread;
  private volatile boolean open = true;

  private record Registration(SocketAddress address, long seenNanos) {}

  private VpnRelay(DatagramChannel channel) {
    this.channel = channel;
    this.thread = new Thread(this::loop, "vpn-relay");
    this.thread.setDaemon(true);
  }

  /** A relay listening on address (port 0: any free port), running until closed. */
  public static VpnRelay start(InetSocketAddress address) throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET).bind(address);
    ch.socket().setSoTimeout(500);
    VpnRelay relay = new VpnRelay(ch);
    relay.thread.start();
    return relay;
  }

  public int port() {
    return channel.socket().getLocalPort();
  }

  private void loop() {
    ByteBuffer in = ByteBuffer.allocate(RelayFrame.MAX_FRAME + 1);
    var socket = channel.socket();
    var packet = new java.net.DatagramPacket(in.array(), in.capacity());
    while (open) {
      try {
        packet.setLength(in.capacity());
        socket.receive(packet);
        handle(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()), packet.getSocketAddress());
      } catch (SocketTimeoutException e) {
        // Checks open again.
      } catch (IOException e) {
        if (open) {
          LOG.log(System.Logger.Level.WARNING, "relay receive failed: {0}", e.getMessage());
        }
      }
    }
  }

  private void handle(ByteBuffer datagram, SocketAddress from) throws IOException {
    Optional<RelayFrame> frame = RelayFrame.decode(datagram);
    if (frame.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    RelayFrame f = frame.get();
    String source = RelayFrame.key(f.source());
    if (f.type() == RelayFrame.HELLO) {
      if (registered.size() >= MAX_REGISTRATIONS && !registered.containsKey(source)) {
        expire(now);
        if (registered.size() >= MAX_REGISTRATIONS) {
          return;
        }
      }
      registered.put(source, new Registration(from, now));
      channel.send(RelayFrame.ack(f.source()).encode(), from);
    } else if (f.type() == RelayFrame.DATA) {
      Registration sender = registered.get(source);
      Registration target = registered.get(RelayFrame.key(f.destination()));
      // Only a key's registered address may send as that key.
      if (sender != null && sender.address().equals(from) && target != null && fresh(target, now)) {
        channel.send(f.encode(), target.address());
      }
    }
  }

  private static boolean fresh(Registration r, long now) {
    return now - r.seenNanos() < EXPIRY.toNanos();
  }

  private void expire(long now) {
    for (Iterator<Registration> it = registered.values().iterator(); it.hasNext();) {
      if (!fresh(it.next(), now)) {
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      channel.close();
      thread.join(2000);
    } catch (IOException e) {
      // Closing.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: VpnRelay <listen-ip> <port>");
      System.exit(2);
    }
    try (VpnRelay relay = start(new InetSocketAddress(args[0], Integer.parseInt(args[1])))) {
      System.out.println("VPN relay listening on " + args[0] + ":" + relay.port());
      relay.thread.join();
    }
  }
}
