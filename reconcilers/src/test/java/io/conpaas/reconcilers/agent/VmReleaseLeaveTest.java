package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentTimeoutException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A leave call that timed out keeps the VM (the role may still be moving data); a refused one does not. */
class VmReleaseLeaveTest {
  private static final Instant DELETED = Instant.parse("2026-12-06T01:00:00Z");

  @Test
  void aTimedOutLeaveIsAskedAgainUntilTheLeaveLimit() {
    AgentCallException slow = new AgentTimeoutException("POST /leave: Read timed out", null);
    assertThat(VmRelease.askAgain(slow, DELETED.toString(), DELETED.plusSeconds(20))).isTrue();
    assertThat(VmRelease.askAgain(slow, DELETED.toString(), DELETED.plus(VmRelease.MAX_LEAVE).plusSeconds(1)))
        .isFalse();
  }

  @Test
  void aRefusedLeaveReleasesAtOnce() {
    AgentCallException refused = new AgentCallException("POST /leave: Connection refused", null);
    assertThat(VmRelease.askAgain(refused, DELETED.toString(), DELETED.plusSeconds(20))).isFalse();
  }
}
