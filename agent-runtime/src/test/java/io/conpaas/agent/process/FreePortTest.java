package io.conpaas.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ports for servers come from below the ephemeral range, and are free. */
class FreePortTest {
  @TempDir
  Path dir;

  @Test
  void portsAreFreeAndBelowTheEphemeralRange() throws Exception {
    int ephemeral = FreePort.ephemeralStart(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    for (int i = 0; i < 20; i++) {
      int port = FreePort.on("127.0.0.1");
      assertThat(port).isBetween(FreePort.LOWEST, ephemeral - 1);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void theRangeIsReadFromTheKernelOrDefaults() throws Exception {
    Path f = dir.resolve("range");
    Files.writeString(f, "40000\t60999\n");
    assertThat(FreePort.ephemeralStart(f)).isEqualTo(40000);
    assertThat(FreePort.ephemeralStart(dir.resolve("missing"))).isEqualTo(32768);
  }
}
