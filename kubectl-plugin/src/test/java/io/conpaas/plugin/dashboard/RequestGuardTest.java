package io.conpaas.plugin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.plugin.dashboard.RequestGuard.Verdict;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
  static final String TOKEN = "a".repeat(64);
  final RequestGuard guard = new RequestGuard(TOKEN, 8123);
  final String cookie = "other=1; conpaas_dashboard_8123=" + TOKEN;

  @Test
  void theEntryUrlWithTheTokenSetsTheCookieAndOnlyTheCookieOpensTheRest() {
    assertThat(guard.check("GET", "/", "token=" + TOKEN, "127.0.0.1:8123", null, "none", null)).isEqualTo(Verdict.ENTER);
    assertThat(guard.check("GET", "/api/services", "token=" + TOKEN, "127.0.0.1:8123", null, null, null))
        .as("the token in a URL opens the entry page only").isEqualTo(Verdict.NO_TOKEN);
    assertThat(guard.check("GET", "/api/services", "ns=a", "127.0.0.1:8123", null, "same-origin", cookie))
        .isEqualTo(Verdict.OK);
    assertThat(guard.check("GET", "/", "token=" + "b".repeat(64), "127.0.0.1:8123", null, null, null))
        .isEqualTo(Verdict.NO_TOKEN);
    assertThat(guard.check("GET", "/", null, "localhost:8123", null, null, "conpaas_dashboard_8123=wrong"))
        .isEqualTo(Verdict.NO_TOKEN);
    assertThat(guard.check("GET", "/", null, "localhost:8123", null, null, "conpaas_dashboard_8124=" + TOKEN))
        .as("another dashboard's cookie").isEqualTo(Verdict.NO_TOKEN);
    assertThat(guard.cookie()).contains("HttpOnly").contains("SameSite=Strict").contains("conpaas_dashboard_8123=");
  }

  @Test
  void anotherHostNameIsRefusedEvenWithTheCookie() {
    assertThat(guard.check("GET", "/", null, "rebind.example:8123", null, null, cookie)).isEqualTo(Verdict.BAD_HOST);
    assertThat(guard.check("GET", "/", null, "127.0.0.1:9999", null, null, cookie)).isEqualTo(Verdict.BAD_HOST);
    assertThat(guard.check("GET", "/", null, null, null, null, cookie)).isEqualTo(Verdict.BAD_HOST);
  }

  @Test
  void writesNeedTheDashboardsOwnOrigin() {
    assertThat(guard.check("POST", "/api/scale", null, "127.0.0.1:8123", "http://127.0.0.1:8123", "same-origin", cookie))
        .isEqualTo(Verdict.OK);
    assertThat(guard.check("POST", "/api/scale", null, "127.0.0.1:8123", "http://evil.example", "cross-site", cookie))
        .isEqualTo(Verdict.CROSS_SITE);
    assertThat(guard.check("POST", "/api/scale", null, "127.0.0.1:8123", null, null, cookie))
        .isEqualTo(Verdict.CROSS_SITE);
    assertThat(guard.check("PUT", "/api/upload", null, "127.0.0.1:8123", "null", null, cookie))
        .as("sandboxed frames send Origin: null").isEqualTo(Verdict.CROSS_SITE);
    assertThat(guard.check("GET", "/api/watch", "ns=a", "127.0.0.1:8123", null, "cross-site", cookie))
        .isEqualTo(Verdict.CROSS_SITE);
  }
}
