package io.conpaas.agent.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** mariadbd refuses socket paths over 107 bytes: deep work directories get a short one. */
class SocketPathTest {
  @Test
  void aShortServerDirectoryKeepsItsOwnSocket() {
    assertThat(MariaDbServer.socketFor(Path.of("/var/lib/x/master/server")))
        .isEqualTo(Path.of("/var/lib/x/master/server/mariadbd.sock"));
  }

  @Test
  void aDeepServerDirectoryGetsAShortStableSocketUnderTmp() {
    Path deep = Path.of("/var/lib/conpaas/local-clouds/" + "d".repeat(100) + "/master/server");
    Path socket = MariaDbServer.socketFor(deep);
    assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MariaDbServer.MAX_SOCKET_PATH);
    assertThat(socket.getFileName().toString()).isEqualTo("mariadbd.sock");
    assertThat(MariaDbServer.socketFor(deep)).isEqualTo(socket);
    assertThat(MariaDbServer.socketFor(Path.of("/var/lib/conpaas/local-clouds/" + "e".repeat(100) + "/x")))
        .isNotEqualTo(socket);
  }
}
