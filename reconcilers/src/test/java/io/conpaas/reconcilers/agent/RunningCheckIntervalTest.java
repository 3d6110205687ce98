package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Liveness checks: runningResync for a few agents, stretched to a fixed operator-wide rate for many, jittered. */
class RunningCheckIntervalTest {
  @Test
  void fewAgentsAreCheckedEveryRunningResync() {
    assertThat(RunningCheckInterval.of(Duration.ofSeconds(5), 100, 0.5)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void manyAgentsTogetherAreCheckedAtMostAtTheOperatorWideRate() {
    // 1,000 agents at 50 checks a second: each every 20 s, not every 5 s (200 a second).
    assertThat(RunningCheckInterval.of(Duration.ofSeconds(5), 1000, 0.5)).isEqualTo(Duration.ofSeconds(20));
    assertThat(RunningCheckInterval.of(Duration.ofSeconds(5), 10_000, 0.5)).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void intervalsAreSpreadByTenPercentEitherWay() {
    assertThat(RunningCheckInterval.of(Duration.ofSeconds(10), 1, 0.0)).isEqualTo(Duration.ofSeconds(9));
    assertThat(RunningCheckInterval.of(Duration.ofSeconds(10), 1, 0.999)).isBetween(Duration.ofMillis(10_990),
        Duration.ofSeconds(11));
  }
}
