package io.conpaas.agent.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** GTID positions compared per domain (the guard against copying an emptier master over a slave). */
class GtidPositionsTest {
  @Test
  void highestSequencePerDomain() {
    assertThat(GtidPositions.parse("0-1-42,1-2-7")).isEqualTo(Map.of("0", 42L, "1", 7L));
    assertThat(GtidPositions.parse("0-1-42, 0-2-50")).isEqualTo(Map.of("0", 50L));
  }

  @Test
  void emptyOrMalformedPositionsHaveNoDomains() {
    assertThat(GtidPositions.parse("")).isEmpty();
    assertThat(GtidPositions.parse(null)).isEmpty();
    assertThat(GtidPositions.parse("garbage")).isEmpty();
  }
}
