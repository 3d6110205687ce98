package io.conpaas.agent.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two relay links and a relay on loopback, with plain UDP sockets standing in for WireGuard:
 * a datagram sent to A's port for B arrives at B's "WireGuard" from B's port for A, and back;
 * a stopped relay stops the traffic and the links say so; a restarted one carries it again.
 */
class VpnRelayTest {
  private static String key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  void datagramsCrossTheRelayBothWaysAndStopWithIt() throws Exception {
    String keyA = key();
    String keyB = key();
    try (DatagramSocket wgA = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket wgB = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      wgA.setSoTimeout(3000);
      wgB.setSoTimeout(3000);
      VpnRelay relay = VpnRelay.start(new InetSocketAddress("127.0.0.1", 0));
      int port = relay.port();
      List<InetSocketAddress> relays = List.of(new InetSocketAddress("127.0.0.1", 9), // nobody: skipped
          new InetSocketAddress("127.0.0.1", port));
      try (RelayLink a = new RelayLink(relays, keyA, wgA.getLocalPort());
          RelayLink b = new RelayLink(relays, keyB, wgB.getLocalPort())) {
        Map<String, Integer> portsA = a.sync(Set.of(keyB));
        Map<String, Integer> portsB = b.sync(Set.of(keyA));
        until(5, () -> a.active().isPresent() && b.active().isPresent());
        assertThat(a.active().orElseThrow().getPort()).isEqualTo(port);

        String got = exchange(wgA, portsA.get(keyB), wgB, "hello B");
        assertThat(got).isEqualTo("hello B");
        // B answers to where the datagram came from: A's port for B, so WireGuard's endpoint is stable.
        DatagramPacket p = receiveLast;
        assertThat(p.getPort()).isEqualTo(portsB.get(keyA));
        assertThat(exchange(wgB, portsB.get(keyA), wgA, "hello A")).isEqualTo("hello A");

        relay.close();
        until(10, () -> a.active().isEmpty());
        send(wgA, portsA.get(keyB), "lost");
        wgB.setSoTimeout(1500);
        assertThat(receive(wgB)).isNull();

        relay = VpnRelay.start(new InetSocketAddress("127.0.0.1", port));
        until(10, () -> a.active().isPresent() && b.active().isPresent());
        wgB.setSoTimeout(3000);
        assertThat(exchange(wgA, portsA.get(keyB), wgB, "back")).isEqualTo("back");
      } finally {
        relay.close();
      }
    }
  }

  private static DatagramPacket receiveLast;

  private static void until(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + seconds + " s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String exchange(DatagramSocket from, int port, DatagramSocket to, String text) throws Exception {
    send(from, port, text);
    return receive(to);
  }

  private static void send(DatagramSocket from, int port, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    from.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
  }

  private static String receive(DatagramSocket s) throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    try {
      s.receive(p);
    } catch (java.net.SocketTimeoutException e) {
      return null;
    }
    receiveLast = p;
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }
}
