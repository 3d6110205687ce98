package io.conpaas.agent.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerHealthTest {
  private static final long S = 1_000_000_000L;
  private static final long WINDOW = 11 * S;

  @Test
  void aPeerIsDownWhenItsCounterStandsStillForTheWindowCountedFromItsConfiguration() {
    PeerHealth h = new PeerHealth();
    h.configure(Map.of("A", "10.0.0.2:51820", "B", "10.9.0.2:51820"), 0);
    h.sample(Map.of("A", 0L, "B", 0L), 1 * S);
    assertThat(h.down(10 * S, WINDOW)).isEmpty();
    h.sample(Map.of("A", 92L, "B", 0L), 3 * S);
    h.sample(Map.of("A", 184L, "B", 0L), 9 * S);
    // B never answered: down after the window; A heard at 9 s.
    assertThat(h.down(12 * S, WINDOW)).containsExactly("B");
    // Rerouted (through a relay): a new grace.
    h.configure(Map.of("A", "10.0.0.2:51820", "B", "127.0.0.1:40001"), 12 * S);
    assertThat(h.down(13 * S, WINDOW)).isEmpty();
    h.sample(Map.of("A", 184L, "B", 148L), 14 * S);
    // A silent since 9 s, B heard at 14 s.
    assertThat(h.down(21 * S, WINDOW)).containsExactly("A");
    // A peer no longer configured is forgotten.
    h.configure(Map.of("B", "127.0.0.1:40001"), 22 * S);
    assertThat(h.down(40 * S, WINDOW)).containsExactly("B");
  }

  @Test
  void heardCountsThePeersThatSentAnything() {
    PeerHealth h = new PeerHealth();
    h.configure(java.util.Map.of("A", "10.0.0.2:51820", "B", "10.9.0.2:51820"), 0);
    assertThat(h.heard()).isZero();
    h.sample(java.util.Map.of("A", 0L, "B", 0L), 1 * S);
    assertThat(h.heard()).isZero();
    h.sample(java.util.Map.of("A", 92L, "B", 0L), 2 * S);
    assertThat(h.heard()).isEqualTo(1);
    h.configure(java.util.Map.of("B", "10.9.0.2:51820"), 3 * S);
    assertThat(h.heard()).isZero();
  }
}
