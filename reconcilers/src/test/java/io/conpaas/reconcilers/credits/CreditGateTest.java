package io.conpaas.reconcilers.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountSpec;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.reconcilers.model.StopCause;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreditGateTest {
  private static Optional<CreditAccount> account(long credits, Long used) {
    CreditAccount a = new CreditAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace("team").build());
    a.setSpec(new CreditAccountSpec(credits));
    if (used != null) {
      CreditAccountStatus s = new CreditAccountStatus();
      s.setUsed(used);
      a.setStatus(s);
    }
    return Optional.of(a);
  }

  @Test
  void withoutAnAccountANamespaceIsUnlimitedUnlessCreditsAreEnforced() {
    assertThat(new CreditGate(false).verdict("team", Optional.empty(), false)).isEmpty();
    Optional<StopCause> held = new CreditGate(true).verdict("team", Optional.empty(), true);
    assertThat(held).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo(CreditGate.NO_ACCOUNT);
      assertThat(c.message()).contains("credits are enforced").contains("namespace team")
          .contains("kubectl conpaas credits --grant");
    });
  }

  @Test
  void anUncoveredHourStopsEveryService() {
    assertThat(new CreditGate(false).verdict("team", account(2, 4L), true))
        .hasValueSatisfying(c -> {
          assertThat(c.reason()).isEqualTo(CreditGate.EXHAUSTED);
          assertThat(c.message()).contains("4 used of 2 granted");
        });
  }

  @Test
  void paidHoursRunOnButNoNewServiceStartsWithNothingLeft() {
    CreditGate gate = new CreditGate(false);
    assertThat(gate.verdict("team", account(2, 2L), true)).isEmpty();
    assertThat(gate.verdict("team", account(2, 2L), false)).hasValueSatisfying(c ->
        assertThat(c.reason()).isEqualTo(CreditGate.EXHAUSTED));
    assertThat(gate.verdict("team", account(2, 1L), false)).isEmpty();
  }

  @Test
  void withEveryCreditUsedARunningServiceAddsNoVm() {
    CreditGate gate = new CreditGate(false);
    assertThat(gate.growthVerdict(account(2, 2L))).hasValueSatisfying(c -> {
      assertThat(c.reason()).isEqualTo(CreditGate.NO_CREDITS_LEFT);
      assertThat(c.message()).contains("2 used of 2 granted").contains("no agent is added");
    });
    assertThat(gate.growthVerdict(account(3, 2L))).isEmpty();
    assertThat(gate.growthVerdict(account(3, null))).isEmpty();
    assertThat(gate.growthVerdict(Optional.empty())).as("no account: unlimited (or held by verdict)").isEmpty();
  }

  @Test
  void aGrantTakesEffectBeforeTheUsageIsRecounted() {
    // spec raised, status still the exhausted one: the gate reads the spec.
    assertThat(new CreditGate(false).verdict("team", account(10, 4L), false)).isEmpty();
    // A new account not yet counted.
    assertThat(new CreditGate(true).verdict("team", account(3, null), false)).isEmpty();
  }
}
