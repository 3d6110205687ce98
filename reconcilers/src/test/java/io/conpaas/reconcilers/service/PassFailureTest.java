package io.conpaas.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceStatus;
import io.conpaas.api.v1alpha1.MysqlStatus;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A pass that threw leaves a status that says so (Degraded ReconcileFailed), not the last one unchanged. */
class PassFailureTest {
  @Test
  void theLastStatusKeepsItsBlocksAndGainsTheFailure() {
    MysqlService s = KindPlans.named(new MysqlService(), "db");
    MysqlServiceStatus before = new MysqlServiceStatus();
    before.setState(ServiceState.RUNNING);
    before.setMysql(new MysqlStatus());
    s.setStatus(before);

    ServiceStatus after = PassFailure.status(s,
        new KubernetesClientException("Failure executing: POST ... Message: etcdserver: request timed out"),
        Instant.parse("2026-12-05T12:00:00Z"));

    assertThat(after).isInstanceOf(MysqlServiceStatus.class);
    assertThat(((MysqlServiceStatus) after).getMysql()).isNotNull();
    assertThat(after.getMessage()).startsWith("reconcile failed, retrying: KubernetesClientException: ")
        .contains("request timed out");
    assertThat(after.getConditions()).filteredOn(c -> c.getType().equals(ConditionTypes.DEGRADED)).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo(PassFailure.REASON);
        });
  }

  @Test
  void aServiceWithoutStatusGetsOneAndLongMessagesAreCut() {
    MysqlService s = KindPlans.named(new MysqlService(), "db");

    ServiceStatus after = PassFailure.status(s, new IllegalStateException("x".repeat(2000)), Instant.EPOCH);

    assertThat(after.getState()).isEqualTo(ServiceState.INIT);
    assertThat(after.getMessage().length()).isLessThan(500);
  }

  @Test
  void conflictsAreRecognisedThroughCauses() {
    KubernetesClientException conflict = new KubernetesClientException("the object has been modified", 409, null);
    assertThat(PassFailure.isConflict(new RuntimeException("wrapped", conflict))).isTrue();
    assertThat(PassFailure.isConflict(new KubernetesClientException("forbidden", 403, null))).isFalse();
    assertThat(PassFailure.isConflict(new IllegalStateException("x"))).isFalse();
  }
}
