package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.BootstrapClaim;
import io.conpaas.agent.api.BootstrapProof;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.reconcilers.model.BootstrapVerdict.Action;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The rules a bootstrap claim must pass before a certificate is issued. */
class BootstrapVerdictTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final String TOKEN = "token-of-this-vm";
  private static final String KEY = Base64.getEncoder().encodeToString("agent key".getBytes());
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString("thief key".getBytes());

  private static AgentTlsBootstrap recorded() {
    AgentTlsBootstrap b = new AgentTlsBootstrap(BootstrapProof.tokenHash(TOKEN));
    b.setExpiresAt(NOW.plusSeconds(60).toString());
    return b;
  }

  private static BootstrapClaim claim(String token, String key) {
    return new BootstrapClaim(key, token, BootstrapProof.proof(token, key));
  }

  @Test
  void aFreshTokenWithItsProofIsSpentOnThePresentedKey() {
    var outcome = BootstrapVerdict.judge(recorded(), claim(TOKEN, KEY), KEY, NOW);

    assertThat(outcome.action()).isEqualTo(Action.SPEND);
    assertThat(outcome.keySha256()).isEqualTo(BootstrapProof.fingerprint(KEY));
  }

  @Test
  void aTokenSpentOnThisKeyIssuesAgainAndOnAnotherKeyNever() {
    AgentTlsBootstrap spent = recorded();
    spent.setKeySha256(BootstrapProof.fingerprint(KEY));

    assertThat(BootstrapVerdict.judge(spent, claim(TOKEN, KEY), KEY, NOW).action()).isEqualTo(Action.ISSUE);
    var stolen = BootstrapVerdict.judge(spent, claim(TOKEN, OTHER_KEY), OTHER_KEY, NOW);
    assertThat(stolen.action()).isEqualTo(Action.REFUSE);
    assertThat(stolen.reason()).contains("already used");
  }

  @Test
  void anExpiredTokenIsRefused() {
    var outcome = BootstrapVerdict.judge(recorded(), claim(TOKEN, KEY), KEY, NOW.plusSeconds(61));

    assertThat(outcome.action()).isEqualTo(Action.REFUSE);
    assertThat(outcome.reason()).contains("expired");
  }

  @Test
  void aProofThatDoesNotBindTheTokenToTheKeyIsRefused() {
    BootstrapClaim moved = new BootstrapClaim(OTHER_KEY, TOKEN, BootstrapProof.proof(TOKEN, KEY));

    var outcome = BootstrapVerdict.judge(recorded(), moved, OTHER_KEY, NOW);

    assertThat(outcome.action()).isEqualTo(Action.REFUSE);
    assertThat(outcome.reason()).contains("proof");
  }

  @Test
  void aClaimForAnotherKeyThanTheConnectionPresentedIsRefused() {
    var outcome = BootstrapVerdict.judge(recorded(), claim(TOKEN, KEY), OTHER_KEY, NOW);

    assertThat(outcome.action()).isEqualTo(Action.REFUSE);
    assertThat(outcome.reason()).contains("TLS");
  }

  @Test
  void anotherVmsTokenOrNoRecordIsRefused() {
    assertThat(BootstrapVerdict.judge(recorded(), claim("another vm's token", KEY), KEY, NOW).reason())
        .contains("not this VM's");
    assertThat(BootstrapVerdict.judge(null, claim(TOKEN, KEY), KEY, NOW).action()).isEqualTo(Action.REFUSE);
    assertThat(BootstrapVerdict.judge(recorded(), new BootstrapClaim(KEY, null, null), KEY, NOW).action())
        .isEqualTo(Action.REFUSE);
  }
}
