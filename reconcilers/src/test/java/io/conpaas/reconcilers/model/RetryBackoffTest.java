package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void doublesFromTheBaseUpToTheCap() {
    Duration base = Duration.ofSeconds(1);
    Duration cap = Duration.ofMinutes(5);
    assertThat(RetryBackoff.after(1, base, cap)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RetryBackoff.after(2, base, cap)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryBackoff.after(5, base, cap)).isEqualTo(Duration.ofSeconds(16));
    assertThat(RetryBackoff.after(10, base, cap)).isEqualTo(cap);
    assertThat(RetryBackoff.after(1000, base, cap)).isEqualTo(cap);
  }
}
