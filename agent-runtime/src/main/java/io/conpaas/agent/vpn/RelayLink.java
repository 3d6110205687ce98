package io.conpaas.agent.vpn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's side of the relays: WireGuard sends to a relayed peer at a loopback port of this
 * link (one per peer, its endpoint in wg), which wraps each datagram in a {@link RelayFrame} to the
 * first relay that answers HELLO, and hands datagrams the relay brings back to WireGuard from that
 * peer's port (so WireGuard's endpoint stays put). WireGuard's encryption is untouched.
 */
final class RelayLink implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RelayLink.class.getName());
  private static final long HELLO_EVERY_NANOS = 1_000_000_000L;
  /** A relay without an ACK for this long is not used. */
  private static final long RELAY_SILENT_NANOS = 5_000_000_000L;

  private final List<InetSocketAddress> relays;
  private final byte[] ownKey;
  private final InetSocketAddress wireguard;
  private final Selector selector;
  private final DatagramChannel uplink;
  private final Map<String, DatagramChannel> byPeer = new ConcurrentHashMap<>();
  private final long[] lastAck;
  private final Thread thread;
  private volatile boolean open = true;

  RelayLink(List<InetSocketAddress> relays, String ownPublicKey, int wireguardPort) throws IOException {
    this.relays = List.copyOf(relays);
    this.ownKey = RelayFrame.key(ownPublicKey);
    this.wireguard = new InetSocketAddress(InetAddress.getLoopbackAddress(), wireguardPort);
    this.lastAck = new long[relays.size()];
    Arrays.fill(lastAck, Long.MIN_VALUE);
    this.selector = Selector.open();
    this.uplink = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(0));
    uplink.configureBlocking(false);
    uplink.register(selector, SelectionKey.OP_READ, null);
    this.thread = new Thread(this::loop, "vpn-relay-link");
    thread.setDaemon(true);
    thread.start();
  }

  List<InetSocketAddress> relays() {
    return relays;
  }

  /** Gives each relayed peer its loopback port (kept while it stays relayed); returns them. */
  synchronized Map<String, Integer> sync(Set<String> relayedPeers) throws IOException {
    for (var it = byPeer.entrySet().iterator(); it.hasNext();) {
      var e = it.next();
      if (!relayedPeers.contains(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
    Map<String, Integer> ports = new HashMap<>();
    for (String peer : relayedPeers) {
      DatagramChannel ch = byPeer.get(peer);
      if (ch == null) {
        ch = DatagramChannel.open(StandardProtocolFamily.INET)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, RelayFrame.key(peer));
        byPeer.put(peer, ch);
      }
      ports.put(peer, ((InetSocketAddress) ch.getLocalAddress()).getPort());
    }
    selector.wakeup();
    return ports;
  }

  /** The relay in use (the first that answered lately). */
  Optional<InetSocketAddress> active() {
    long now = System.nanoTime();
    for (int i = 0; i < relays.size(); i++) {
      if (lastAck[i] != Long.MIN_VALUE && now - lastAck[i] < RELAY_SILENT_NANOS) {
        return Optional.of(relays.get(i));
      }
    }
    return Optional.empty();
  }

  private void loop() {
    ByteBuffer buffer = ByteBuffer.allocate(RelayFrame.MAX_FRAME + 1);
    long nextHello = System.nanoTime();
    while (open) {
      try {
        if (System.nanoTime() - nextHello >= 0) {
          for (InetSocketAddress r : relays) {
            try {
              uplink.send(RelayFrame.hello(ownKey).encode(), r);
            } catch (IOException e) {
              // This relay is not reachable from here (no route): another may be.
            }
          }
          nextHello = System.nanoTime() + HELLO_EVERY_NANOS;
        }
        selector.select(200);
        for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          DatagramChannel ch = (DatagramChannel) key.channel();
          buffer.clear();
          SocketAddress from = ch.receive(buffer);
          if (from == null) {
            continue;
          }
          buffer.flip();
          if (ch == uplink) {
            fromRelay(buffer, from);
          } else {
            toRelay(buffer, (byte[]) key.attachment());
          }
        }
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        if (open) {
          LOG.log(System.Logger.Level.WARNING, "VPN relay link: {0}", e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "VPN relay link: {0}", e.toString());
      }
    }
  }

  private void fromRelay(ByteBuffer datagram, SocketAddress from) throws IOException {
    int relay = relays.indexOf(from);
    Optional<RelayFrame> frame = RelayFrame.decode(datagram);
    if (relay < 0 || frame.isEmpty() || !Arrays.equals(frame.get().destination(), ownKey)) {
      return;
    }
    if (frame.get().type() == RelayFrame.ACK) {
      lastAck[relay] = System.nanoTime();
    } else if (frame.get().type() == RelayFrame.DATA) {
      DatagramChannel local = byPeer.get(RelayFrame.key(frame.get().source()));
      if (local != null && local.isOpen()) {
        local.send(ByteBuffer.wrap(frame.get().payload()), wireguard);
      }
    }
  }

  private void toRelay(ByteBuffer datagram, byte[] peer) throws IOException {
    Optional<InetSocketAddress> relay = active();
    if (relay.isEmpty() || datagram.remaining() > RelayFrame.MAX_FRAME - RelayFrame.HEADER) {
      return;
    }
    byte[] payload = new byte[datagram.remaining()];
    datagram.get(payload);
    uplink.send(new RelayFrame(RelayFrame.DATA, ownKey, peer, payload).encode(), relay.get());
  }

  @Override
  public synchronized void close() {
    open = false;
    try {
      selector.wakeup();
      thread.join(2000);
      for (DatagramChannel ch : byPeer.values()) {
        ch.close();
      }
      byPeer.clear();
      uplink.close();
      selector.close();
    } catch (IOException e) {
      // Closing.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
