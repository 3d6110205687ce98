package io.conpaas.plugin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.plugin.ServiceKinds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerCallersTest {
  final List<String> tokens = new ArrayList<>();
  final List<KubernetesClient> clients = new ArrayList<>();
  Instant now = Instant.parse("2026-12-05T12:00:00Z");
  final KindCatalog catalog = new KindCatalog(ServiceKinds.standard());
  final BearerCallers callers = new BearerCallers(token -> {
    tokens.add(token);
    KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl("https://192.0.2.1:6443").withOauthToken(token).build()).build();
    clients.add(c);
    return c;
  }, client -> new DashboardApi(client, catalog, null, "default"), catalog, new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  });

  @Test
  void eachTokenGetsItsOwnClientCarryingOnlyThatTokenReusedWhileInUse() {
    Caller a = callers.forToken("token-a");
    Caller b = callers.forToken("token-b");
    assertThat(callers.forToken("token-a")).isSameAs(a);
    assertThat(a).isNotSameAs(b);
    assertThat(tokens).containsExactly("token-a", "token-b");
    assertThat(a.api().client().getConfiguration().getOauthToken()).isEqualTo("token-a");
    assertThat(a.api().client().getConfiguration().getUsername()).isNull();
    assertThat(a.api().client().getConfiguration().getImpersonateUsername()).isNull();
    assertThat(a.api().client().getConfiguration().getClientCertData()).isNull();
  }

  @Test
  void anIdleClientIsClosedAndATokenSeenAgainGetsAFreshOne() {
    Caller a = callers.forToken("token-a");
    now = now.plus(BearerCallers.IDLE).plus(Duration.ofSeconds(1));
    Caller again = callers.forToken("token-a");
    assertThat(again).isNotSameAs(a);
    assertThat(tokens).containsExactly("token-a", "token-a");
    assertThat(callers.size()).isEqualTo(1);
  }

  @Test
  void atMostMaxClientsAreKeptTheLeastRecentlyUsedGoesFirst() {
    for (int i = 0; i < BearerCallers.MAX + 5; i++) {
      callers.forToken("t" + i);
    }
    assertThat(callers.size()).isEqualTo(BearerCallers.MAX);
    callers.forToken("t" + (BearerCallers.MAX + 4));
    assertThat(tokens).hasSize(BearerCallers.MAX + 5);
    callers.forToken("t0");
    assertThat(tokens).as("t0 was evicted").hasSize(BearerCallers.MAX + 6);
  }
}
