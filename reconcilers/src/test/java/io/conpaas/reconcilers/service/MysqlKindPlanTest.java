package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static io.conpaas.reconcilers.service.KindPlans.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.MysqlServiceStatus;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.mysql.MysqlKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MysqlKind's plan from hand-built contexts: the Secret version comes from the observation, not from the kind. */
class MysqlKindPlanTest {
  // No MysqlSecrets: the plan must not need one (only observe ensures the Secret).
  private final MysqlKind kind = new MysqlKind(null);

  private static MysqlService db(int slaves) {
    MysqlService s = named(new MysqlService(), "db");
    MysqlServiceSpec spec = new MysqlServiceSpec();
    spec.setApplication("app");
    spec.setSlaves(new ScaleRoleSpec(slaves));
    s.setSpec(spec);
    return s;
  }

  @Test
  void everyAgentGetsTheObservedSecretVersionAndItsOwnServerId() {
    ServiceContext<MysqlService> pass = context(db(2), List.of(),
        Observation.NONE.withSecretVersion("db-mysql", "17"));

    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));

    assertThat(plan.problems()).isEmpty();
    assertThat(plan.desired()).hasSize(3).allSatisfy(a -> {
      assertThat(a.getSpec().getConfig()).containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "17");
      assertThat(a.getSpec().getCredentialsSecret()).isEqualTo("db-mysql");
    });
    assertThat(plan.desired()).extracting(a -> a.getSpec().getConfig().get(MysqlRoleKeys.SERVER_ID))
        .containsExactlyInAnyOrder("1", "10", "11");
    assertThat(plan.desired()).filteredOn(a -> a.getSpec().getRole().equals("master"))
        .allSatisfy(a -> assertThat(a.getSpec().getStateful()).isTrue());
  }

  @Test
  void twoPassesShareNothingThroughTheKind() {
    KindPlan first = kind.plan(context(db(1), List.of(), Observation.NONE.withSecretVersion("db-mysql", "1")));
    KindPlan second = kind.plan(context(db(1), List.of(), Observation.NONE));

    assertThat(first.roleConfig().get("slaves")).containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "1");
    // A pass whose observation found no Secret version has none: nothing is left over from the first.
    assertThat(second.roleConfig().get("slaves")).doesNotContainKey(MysqlRoleKeys.CREDENTIALS_VERSION);
    assertThat(((MysqlServiceStatus) second.status().apply(new ServiceStatus())).getMysql().getCredentialsVersion())
        .isNull();
  }

  @Test
  void slavesFollowTheRunningMasterAndTheStatusNamesItAndTheSecret() {
    Agent master = running("db", "master", 0, "10.1.0.2", Map.of(MysqlRoleKeys.PORT, "3306"));
    Agent slave = running("db", "slaves", 0, "10.1.0.3", Map.of(MysqlRoleKeys.REPLICATING, "false"));
    ServiceContext<MysqlService> pass = context(db(1), List.of(master, slave),
        Observation.NONE.withSecretVersion("db-mysql", "5"));

    KindPlan plan = kind.plan(pass);

    assertThat(plan.roleConfig().get("slaves")).containsEntry(MysqlRoleKeys.MASTER_HOST, "10.1.0.2")
        .containsEntry(MysqlRoleKeys.MASTER_PORT, "3306");
    assertThat(plan.ready().test(slave)).isFalse();
    assertThat(plan.ready().test(master)).isTrue();
    ServiceStatus common = new ServiceStatus();
    common.setState(ServiceState.PROLOGUE);
    common.setMessage("1 of 2 agents ready");
    MysqlServiceStatus status = (MysqlServiceStatus) plan.status().apply(common);
    assertThat(status.getState()).isEqualTo(ServiceState.PROLOGUE);
    assertThat(status.getEndpoints()).singleElement().satisfies(e -> assertThat(e.getUrl()).isEqualTo("10.1.0.2:3306"));
    assertThat(status.getMysql().getPasswordSecret()).isEqualTo("db-mysql");
    assertThat(status.getMysql().getCredentialsVersion()).isEqualTo("5");
    assertThat(status.getMysql().getReplicas()).singleElement()
        .satisfies(r -> assertThat(r.getReplicating()).isFalse());
  }

  @Test
  void aSecretProblemFromObservingBlocksThePass() {
    ServiceContext<MysqlService> pass = context(db(1), List.of(),
        Observation.NONE.withProblem("passwordSecretRef: Secret x is not labelled for this service"));

    assertThat(ServicePlan.of(pass, kind.plan(pass)).problems())
        .containsExactly("passwordSecretRef: Secret x is not labelled for this service");
  }
}
