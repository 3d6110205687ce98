package io.conpaas.reconcilers.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.api.v1alpha1.ServiceCredits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreditLedgerTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private static VmUse vm(String token, String service, Instant start) {
    return new VmUse(token, "HelloWorldService", service, start, null);
  }

  /** The status as the reconciler writes it from the figures. */
  private static CreditAccountStatus written(CreditLedger.Figures f) {
    CreditAccountStatus s = new CreditAccountStatus();
    s.setUsed(f.used());
    s.setServices(f.services());
    s.setVms(f.vms());
    return s;
  }

  @Test
  void twoNewVmsCostTwoCreditsAtOnceAndTwoMoreWhenTheirSecondHourStarts() {
    List<VmUse> live = List.of(vm("a-1", "hello", T0), vm("b-1", "hello", T0));
    CreditLedger.Figures start = CreditLedger.next(null, 2, live, T0.plusSeconds(5));
    assertThat(start.used()).isEqualTo(2);
    assertThat(start.remaining()).isZero();
    assertThat(start.exhausted()).as("the hours that started are paid").isFalse();
    assertThat(start.low()).isTrue();

    CreditLedger.Figures later = CreditLedger.next(written(start), 2, live, T0.plus(Duration.ofMinutes(61)));
    assertThat(later.used()).isEqualTo(4);
    assertThat(later.exhausted()).isTrue();
    assertThat(later.services()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("hello");
      assertThat(s.getUsed()).isEqualTo(4);
      assertThat(s.getVms()).isEqualTo(2);
      assertThat(s.getReleased()).isZero();
    });
  }

  @Test
  void recomputingFromTheSameTimestampsChangesNothing() {
    List<VmUse> live = List.of(vm("a-1", "hello", T0));
    Instant now = T0.plus(Duration.ofMinutes(90));
    CreditLedger.Figures first = CreditLedger.next(null, 10, live, now);
    // A restarted operator: the figures come back from the same Agents (and the written status).
    CreditLedger.Figures again = CreditLedger.next(written(first), 10, live, now);
    CreditLedger.Figures fresh = CreditLedger.next(null, 10, live, now);
    assertThat(again.used()).isEqualTo(first.used()).isEqualTo(fresh.used()).isEqualTo(2);
    assertThat(again.vms()).usingRecursiveComparison().isEqualTo(first.vms());
  }

  @Test
  void aReleasedVmMovesToItsServicesTotalOnceAndIsNeverRefunded() {
    CreditLedger.Figures running = CreditLedger.next(null, 10, List.of(vm("a-1", "hello", T0), vm("c-1", "other", T0)),
        T0.plus(Duration.ofMinutes(70)));
    assertThat(running.used()).isEqualTo(4);
    // hello's VM is gone (its Agent deleted with the service); other's still runs.
    CreditLedger.Figures afterDelete = CreditLedger.next(written(running), 10, List.of(vm("c-1", "other", T0)),
        T0.plus(Duration.ofMinutes(80)));
    assertThat(afterDelete.used()).isEqualTo(4);
    assertThat(afterDelete.vms()).extracting(v -> v.getToken()).containsExactly("c-1");
    assertThat(afterDelete.services()).filteredOn(s -> s.getName().equals("hello")).singleElement()
        .satisfies(s -> {
          assertThat(s.getReleased()).isEqualTo(2);
          assertThat(s.getUsed()).isEqualTo(2);
          assertThat(s.getVms()).isZero();
        });
    // Later passes do not add the released hours again.
    CreditLedger.Figures again = CreditLedger.next(written(afterDelete), 10, List.of(vm("c-1", "other", T0)),
        T0.plus(Duration.ofMinutes(85)));
    assertThat(again.used()).isEqualTo(4);
  }

  @Test
  void chargedHoursAreNeverLoweredByAnEarlierReleaseTimestamp() {
    CreditLedger.Figures charged = CreditLedger.next(null, 10, List.of(vm("a-1", "hello", T0)),
        T0.plus(Duration.ofMinutes(130)));
    assertThat(charged.used()).isEqualTo(3);
    // The Agent's deletion timestamp comes from another clock and says it was released after 30 s.
    CreditLedger.Figures releasing = CreditLedger.next(written(charged), 10,
        List.of(new VmUse("a-1", "HelloWorldService", "hello", T0, T0.plusSeconds(30))),
        T0.plus(Duration.ofMinutes(131)));
    assertThat(releasing.used()).isEqualTo(3);
  }

  @Test
  void aReleasingVmIsChargedUpToItsReleaseOnly() {
    VmUse releasing = new VmUse("a-1", "HelloWorldService", "hello", T0, T0.plus(Duration.ofMinutes(30)));
    assertThat(CreditLedger.next(null, 10, List.of(releasing), T0.plus(Duration.ofHours(5))).used()).isEqualTo(1);
  }

  @Test
  void aReplacedVmOfTheSameAgentIsChargedAsANewVm() {
    CreditLedger.Figures first = CreditLedger.next(null, 10, List.of(vm("uid-1", "hello", T0)),
        T0.plus(Duration.ofMinutes(10)));
    CreditLedger.Figures replaced = CreditLedger.next(written(first), 10,
        List.of(vm("uid-2", "hello", T0.plus(Duration.ofMinutes(11)))), T0.plus(Duration.ofMinutes(12)));
    assertThat(replaced.used()).isEqualTo(2);
    assertThat(replaced.services()).singleElement().satisfies(s -> assertThat(s.getReleased()).isEqualTo(1));
  }

  @Test
  void aDeletedServicesRecordSurvivesWithoutLiveVms() {
    CreditAccountStatus previous = new CreditAccountStatus();
    previous.setServices(List.of(new ServiceCredits("MysqlService", "db", 7, 7, 0)));
    CreditLedger.Figures f = CreditLedger.next(previous, 5, List.of(), T0);
    assertThat(f.used()).isEqualTo(7);
    assertThat(f.exhausted()).isTrue();
    assertThat(f.remaining()).isZero();
  }

  @Test
  void theNextRecountIsWhenTheNextHourOfARunningVmStarts() {
    List<VmUse> live = List.of(vm("a-1", "hello", T0), vm("b-1", "hello", T0.plus(Duration.ofMinutes(30))));
    Instant now = T0.plus(Duration.ofMinutes(40));
    CreditLedger.Figures f = CreditLedger.next(null, 10, live, now);
    assertThat(CreditLedger.untilNextHour(f, live, now)).contains(Duration.ofMinutes(20));
    assertThat(CreditLedger.untilNextHour(f, List.of(), now)).isEmpty();
  }

  @Test
  void lowMeansTenPercentOrLessLeft() {
    List<VmUse> live = List.of(vm("a-1", "hello", T0));
    assertThat(CreditLedger.next(null, 10, live, T0.plus(Duration.ofHours(8))).low()).isFalse();
    assertThat(CreditLedger.next(null, 10, live, T0.plus(Duration.ofHours(9))).low()).isTrue();
    assertThat(CreditLedger.next(null, 10, live, T0.plus(Duration.ofHours(11))).low()).isFalse();
    assertThat(CreditLedger.next(null, 10, live, T0.plus(Duration.ofHours(11))).exhausted()).isTrue();
  }
}
