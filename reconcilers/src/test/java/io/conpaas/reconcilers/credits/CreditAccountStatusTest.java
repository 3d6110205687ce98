package io.conpaas.reconcilers.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountSpec;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The account's status from its figures: message, conditions kept across passes, warning about stateful data. */
class CreditAccountStatusTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private static CreditAccount account(long credits) {
    CreditAccount a = new CreditAccount();
    a.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace("team").withGeneration(3L).build());
    a.setSpec(new CreditAccountSpec(credits));
    return a;
  }

  private static Condition condition(CreditAccountStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void lowCreditsWarnThatStatefulServicesLoseTheirDataAtZero() {
    CreditLedger.Figures f = new CreditLedger.Figures(10, 9, List.of(), List.of());
    CreditAccountStatus s = CreditAccountReconciler.status(account(10), f, Set.of("MysqlService db"), T0);
    assertThat(s.getRemaining()).isEqualTo(1);
    assertThat(s.getExhausted()).isFalse();
    assertThat(s.getMessage()).startsWith("low: 9 of 10 credits used, 1 left")
        .contains("releases the VMs of MysqlService db").contains("back it up");
    assertThat(condition(s, CreditAccountReconciler.LOW).getStatus()).isEqualTo("True");
    assertThat(condition(s, CreditAccountReconciler.EXHAUSTED).getStatus()).isEqualTo("False");
  }

  @Test
  void exhaustedKeepsItsTransitionTimeAcrossPasses() {
    CreditAccount a = account(2);
    CreditLedger.Figures f = new CreditLedger.Figures(2, 4, List.of(), List.of());
    a.setStatus(CreditAccountReconciler.status(a, f, Set.of(), T0));
    CreditAccountStatus later = CreditAccountReconciler.status(a, f, Set.of(), T0.plusSeconds(60));
    assertThat(later.getExhausted()).isTrue();
    assertThat(later.getMessage()).startsWith("exhausted: 4 of 2 credits used, 0 left");
    assertThat(condition(later, CreditAccountReconciler.EXHAUSTED).getLastTransitionTime()).isEqualTo(T0.toString());
  }
}
