package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchWindowTest {
  private final BatchWindow window = new BatchWindow(Duration.ofMillis(300), Duration.ofSeconds(1));
  private final Instant t0 = Instant.parse("2026-12-05T19:00:00Z");

  @Test
  void staysOpenForTheIdleGapAfterTheLastJoin() {
    assertThat(window.openFor(t0, t0.plusMillis(200), 5, 100, t0.plusMillis(250)))
        .contains(Duration.ofMillis(250));
  }

  @Test
  void closesAfterTheIdleGap() {
    assertThat(window.openFor(t0, t0.plusMillis(100), 5, 100, t0.plusMillis(400))).isEmpty();
  }

  @Test
  void closesAtTheHardLimitEvenWhileAgentsKeepComing() {
    assertThat(window.openFor(t0, t0.plusMillis(900), 50, 100, t0.plusMillis(950))).contains(Duration.ofMillis(50));
    assertThat(window.openFor(t0, t0.plusMillis(990), 60, 100, t0.plusMillis(1000))).isEmpty();
  }

  @Test
  void closesAtOnceWhenFull() {
    assertThat(window.openFor(t0, t0, 100, 100, t0)).isEmpty();
  }
}
