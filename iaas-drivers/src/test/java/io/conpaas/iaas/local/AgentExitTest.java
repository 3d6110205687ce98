package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local cloud says about an agent that exited: bounded, one line, no key material. */
class AgentExitTest {
  @TempDir
  Path dir;

  @Test
  void aRecordedExitWinsOverTheLogAndOnlyStatus78IsPermanent() throws Exception {
    Path log = Files.writeString(dir.resolve("agent.log"), "noise\nlast words\n");
    Files.writeString(dir.resolve("exit"), "status=1\nreason=php-fpm crashed\n");
    assertThat(AgentExit.of(dir.resolve("exit"), log)).isEqualTo(new AgentExit("php-fpm crashed", false));
    Files.writeString(dir.resolve("exit"), "status=78\nreason=refused\\: not root\n");
    assertThat(AgentExit.of(dir.resolve("exit"), log)).isEqualTo(new AgentExit("refused: not root", true));
    assertThat(AgentExit.of(dir.resolve("none"), log)).isEqualTo(new AgentExit("agent exited: last words", false));
    assertThat(AgentExit.of(dir.resolve("none"), dir.resolve("nolog")).reason()).isEqualTo("agent exited without a word");
  }

  @Test
  void reasonsAreOneShortLineWithoutKeysOrPasswords() {
    assertThat(AgentExit.sanitize("bad\u0007 line\n\twith  tabs")).isEqualTo("bad line with tabs");
    assertThat(AgentExit.sanitize("cannot parse -----BEGIN PRIVATE KEY-----\nMIIEv...")).isEqualTo(
        "cannot parse [key material removed]");
    assertThat(AgentExit.sanitize("login failed: password=s3cret token: abc")).isEqualTo(
        "login failed: password=[removed] token: [removed]");
    assertThat(AgentExit.sanitize("x".repeat(5000))).hasSize(AgentExit.MAX_REASON);
  }
}
