package io.conpaas.reconcilers.credits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartedHoursTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void everyStartedHourCountsAndAStartedVmCostsAtLeastOne() {
    assertThat(StartedHours.between(T0, T0)).isEqualTo(1);
    assertThat(StartedHours.between(T0, T0.plusSeconds(1))).isEqualTo(1);
    assertThat(StartedHours.between(T0, T0.plus(Duration.ofHours(1)))).isEqualTo(1);
    assertThat(StartedHours.between(T0, T0.plus(Duration.ofHours(1)).plusMillis(1))).isEqualTo(2);
    assertThat(StartedHours.between(T0, T0.plus(Duration.ofMinutes(150)))).isEqualTo(3);
  }

  @Test
  void anEndBeforeTheStartStillCostsTheFirstHour() {
    assertThat(StartedHours.between(T0, T0.minusSeconds(30))).isEqualTo(1);
  }

  @Test
  void theNextHourStartsAfterTheChargedOnes() {
    assertThat(StartedHours.nextHour(T0, 2)).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(StartedHours.nextHour(T0, 0)).isEqualTo(T0.plus(Duration.ofHours(1)));
  }
}
