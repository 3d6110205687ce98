package io.conpaas.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The stale-Agents fault: lists of Agents as of an old version, silent watches, only in its window. */
class StaleAgentReadsTest {
  private static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");
  private static final URI LIST = URI.create("https://127.0.0.1:6443/apis/conpaas.io/v1alpha1/namespaces/n/agents"
      + "?labelSelector=conpaas.io%2Fservice-kind%3DHelloWorldService");
  private static final URI WATCH = URI.create("https://127.0.0.1:6443/apis/conpaas.io/v1alpha1/namespaces/n/agents"
      + "?allowWatchBookmarks=true&resourceVersion=900&timeoutSeconds=600&watch=true");

  @Test
  void offWithoutTheJvmPropertyOrTheSetting() {
    assertThat(StaleAgentReads.from(null, "12:20", Clock.systemUTC())).isNull();
    assertThat(StaleAgentReads.from(CrashHooks.ENABLED, null, Clock.systemUTC())).isNull();
    assertThatThrownBy(() -> StaleAgentReads.from(CrashHooks.ENABLED, "12", Clock.systemUTC()))
        .hasMessageContaining(StaleAgentReads.SETTING);
  }

  @Test
  void listsReadTheOldVersionAndWatchesStaySilentUntilTheWindowEnds() {
    StaleAgentReads stale = StaleAgentReads.from(CrashHooks.ENABLED, "123:20", Clock.fixed(T0, ZoneOffset.UTC));
    URI list = stale.rewrite("GET", LIST);
    assertThat(list.getRawQuery()).contains("resourceVersion=123", "resourceVersionMatch=Exact",
        "labelSelector=conpaas.io%2Fservice-kind%3DHelloWorldService");
    URI watch = stale.rewrite("GET", WATCH);
    assertThat(watch.getRawQuery()).contains("resourceVersion=123", "timeoutSeconds=20", "watch=true",
        "fieldSelector=metadata.name%3Dconpaas-test-stale-window").doesNotContain("allowWatchBookmarks");
    assertThat(stale.rewrite("POST", LIST)).as("writes untouched").isNull();
    assertThat(stale.rewrite("GET", URI.create("https://h/apis/conpaas.io/v1alpha1/namespaces/n/clouds")))
        .as("other kinds untouched").isNull();

    StaleAgentReads over = new StaleAgentReads("123", T0, Clock.fixed(T0.plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
    assertThat(over.rewrite("GET", LIST)).as("after the window").isNull();
  }
}
