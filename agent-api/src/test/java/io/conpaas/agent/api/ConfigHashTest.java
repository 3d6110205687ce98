package io.conpaas.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConfigHash: a stable, order-independent, unambiguous hash of a role configuration. */
class ConfigHashTest {

  @Test
  void isIndependentOfEntryOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");

    assertThat(ConfigHash.of(ab)).isEqualTo(ConfigHash.of(ba));
  }

  @Test
  void changesWithAnyValueOrKey() {
    String base = ConfigHash.of(Map.of("message", "hello"));

    assertThat(ConfigHash.of(Map.of("message", "hello!"))).isNotEqualTo(base);
    assertThat(ConfigHash.of(Map.of("Message", "hello"))).isNotEqualTo(base);
    assertThat(ConfigHash.of(Map.of("message", "hello", "x", ""))).isNotEqualTo(base);
  }

  @Test
  void nullAndEmptyConfigHashAlike() {
    assertThat(ConfigHash.of(null)).isEqualTo(ConfigHash.of(Map.of()));
  }

  @Test
  void lengthPrefixingKeepsKeyValueBoundariesApart() {
    assertThat(ConfigHash.of(Map.of("a", "bc"))).isNotEqualTo(ConfigHash.of(Map.of("ab", "c")));
    assertThat(ConfigHash.of(Map.of("a", "b", "c", "d"))).isNotEqualTo(ConfigHash.of(Map.of("a", "bcd")));
  }

  @Test
  void isTheSameOnEveryRelease() {
    // Operator and agents of different builds compare these: SHA-256 of "1:a1:b", first 16 hex digits.
    assertThat(ConfigHash.of(Map.of("a", "b"))).isEqualTo("facdde7abf1eac5b");
    assertThat(ConfigHash.of(Map.of())).isEqualTo("e3b0c44298fc1c14");
  }
}
