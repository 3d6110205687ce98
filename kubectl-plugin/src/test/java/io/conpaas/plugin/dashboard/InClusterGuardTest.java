package io.conpaas.plugin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.plugin.dashboard.RequestGuard.Verdict;
import org.junit.jupiter.api.Test;

class InClusterGuardTest {
  final InClusterGuard byHost = new InClusterGuard(null);
  final InClusterGuard byOrigin = new InClusterGuard("https://dash.example.org/");

  @Test
  void withoutATokenNothingIsServedWhateverElseTheRequestHas() {
    assertThat(byHost.check("GET", "dash.example.org", null, "none", null)).isEqualTo(Verdict.NO_TOKEN);
    assertThat(byHost.check("POST", "dash.example.org", "https://dash.example.org", "same-origin", null))
        .isEqualTo(Verdict.NO_TOKEN);
    assertThat(byHost.check("GET", "dash.example.org", null, null, "t")).isEqualTo(Verdict.OK);
  }

  @Test
  void theTokenComesFromAuthorizationBearerElseFromTheForwardedAccessTokenHeader() {
    assertThat(InClusterGuard.token("Bearer abc", "xyz")).isEqualTo("abc");
    assertThat(InClusterGuard.token("bearer abc", null)).isEqualTo("abc");
    assertThat(InClusterGuard.token(null, " xyz ")).isEqualTo("xyz");
    assertThat(InClusterGuard.token("Basic dXNlcjpwdw==", null)).as("no password logins").isNull();
    assertThat(InClusterGuard.token("Bearer  ", "")).isNull();
    assertThat(InClusterGuard.token(null, null)).isNull();
  }

  @Test
  void writesNeedTheSitesOwnOrigin() {
    assertThat(byHost.check("POST", "dash.example.org", "https://dash.example.org", "same-origin", "t"))
        .isEqualTo(Verdict.OK);
    assertThat(byHost.check("POST", "dash.example.org", "https://evil.example", null, "t"))
        .isEqualTo(Verdict.CROSS_SITE);
    assertThat(byHost.check("POST", "dash.example.org", null, null, "t")).as("a write without Origin")
        .isEqualTo(Verdict.CROSS_SITE);
    assertThat(byHost.check("GET", "dash.example.org", null, "cross-site", "t")).isEqualTo(Verdict.CROSS_SITE);
    assertThat(byHost.check("PUT", "127.0.0.1:8080", "http://127.0.0.1:8080", null, "t")).isEqualTo(Verdict.OK);
    assertThat(byHost.check("PUT", "127.0.0.1:8080", "http://127.0.0.1:8081", null, "t"))
        .isEqualTo(Verdict.CROSS_SITE);
  }

  @Test
  void aConfiguredPublicOriginIsTheOnlyOriginAcceptedWhateverTheHostHeaderSays() {
    assertThat(byOrigin.check("POST", "conpaas-dashboard.svc:80", "https://dash.example.org", null, "t"))
        .isEqualTo(Verdict.OK);
    assertThat(byOrigin.check("POST", "evil.example", "https://evil.example", null, "t"))
        .isEqualTo(Verdict.CROSS_SITE);
    assertThat(byOrigin.check("POST", "dash.example.org", "http://dash.example.org", null, "t"))
        .as("another scheme").isEqualTo(Verdict.CROSS_SITE);
  }
}
