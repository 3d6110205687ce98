package io.conpaas.agent.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RoleRegistry;
import io.conpaas.agent.api.VpnConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VpnRelayRoleTest {
  @TempDir
  Path dir;

  @Test
  void theRelayRoleRunsARelayOnTheConfiguredPortAndReportsIt() throws Exception {
    var role = RoleRegistry.builtIn().create(VpnConfig.RELAY_KIND, VpnConfig.RELAY_ROLE);
    role.init(new RoleContext("app-vpn-relay-1", dir, "127.0.0.1"));
    int port;
    try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
    role.configure(Map.of(VpnConfig.RELAY_CONFIG_PORT, Integer.toString(port)));
    try {
      assertThat(role.facts()).containsEntry(VpnConfig.FACT_RELAY_PORT, Integer.toString(port));
      // It answers a HELLO like any relay.
      byte[] key = new byte[32];
      key[0] = 7;
      try (DatagramChannel agent = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
        agent.socket().setSoTimeout(2000);
        agent.send(RelayFrame.hello(key).encode(), new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        ByteBuffer in = ByteBuffer.allocate(RelayFrame.MAX_FRAME);
        var packet = new java.net.DatagramPacket(in.array(), in.capacity());
        agent.socket().receive(packet);
        RelayFrame ack = RelayFrame.decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength())).orElseThrow();
        assertThat(ack.type()).isEqualTo(RelayFrame.ACK);
        assertThat(ack.destination()).isEqualTo(key);
      }
      assertThatThrownBy(() -> role.configure(Map.of(VpnConfig.RELAY_CONFIG_PORT, "70000")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    } finally {
      role.stop();
    }
    assertThat(role.facts()).isEmpty();
  }
}
