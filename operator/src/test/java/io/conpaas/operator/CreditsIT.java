package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountSpec;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.SettableClock;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.credits.CreditSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credit system on the real API server with local VMs and a clock the test moves forward:
 * 2 credits pay the first hour of 2 agents; when the second hour starts the service is stopped
 * (CreditsExhausted, no VM left, spec untouched); a grant brings both agents back; operator
 * restarts in between change no figure. With credits.enforce a namespace without an account
 * starts nothing and says why.
 */
class CreditsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path workDir;

  @Test
  void twoCreditsPayOneHourOfTwoAgentsThenTheServiceStopsUntilAGrant() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    SettableClock clock = new SettableClock();
    try (LocalWorld world = LocalWorld.create(client, "credits", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3)
          .withCredits(new CreditSettings(false, Duration.ofSeconds(1)));
      client.resource(account(ns, 2)).create();
      ConpaasOperator op = start(settings, clock);
      try {
        world.helloWorld("hello", 2, "paid by the hour");
        world.awaitState("hello", ServiceState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> {
          CreditAccountStatus s = account(client, ns).getStatus();
          assertThat(s.getUsed()).as("usage counts 2 at start").isEqualTo(2);
          assertThat(s.getRemaining()).isZero();
          assertThat(s.getExhausted()).isFalse();
          assertThat(s.getServices()).singleElement().satisfies(u -> {
            assertThat(u.getName()).isEqualTo("hello");
            assertThat(u.getKind()).isEqualTo("HelloWorldService");
            assertThat(u.getUsed()).isEqualTo(2);
            assertThat(u.getVms()).isEqualTo(2);
          });
        });
        // 10% or less left: a Warning Event and the metric.
        await().atMost(WAIT).untilAsserted(() -> assertThat(warnings(client, ns, "CreditsLow")).isPositive());
        assertThat(op.metrics().find("conpaas.credits.low").tag("namespace", ns).gauge().value()).isEqualTo(1.0);
        assertThat(world.service("hello").getStatus().getState()).isEqualTo(ServiceState.RUNNING);

        // Every credit used: scaling up adds no VM (its first hour would be unpaid) and says why;
        // scaling back settles at once.
        world.scale("hello", 3);
        await().atMost(WAIT).untilAsserted(() -> {
          HelloWorldService hello = world.service("hello");
          assertThat(hello.getStatus().getState()).isEqualTo(ServiceState.ADAPTING);
          assertThat(hello.getStatus().getMessage()).contains("no credits left (2 used of 2 granted)");
          assertThat(hello.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(ConditionTypes.READY);
            assertThat(c.getReason()).isEqualTo("NoCreditsLeft");
          });
        });
        Thread.sleep(2000); // several passes (and recounts) later, still no third Agent
        assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).hasSize(2);
        assertThat(LocalVms.liveProcesses(workDir)).isEqualTo(2);
        world.scale("hello", 2);
        world.awaitState("hello", ServiceState.RUNNING);

        // An operator restart changes no figure.
        String before = figures(account(client, ns));
        op.close();
        op = start(settings, clock);
        ConpaasOperator restarted = op;
        await().atMost(WAIT).until(() -> restarted.metrics().find("conpaas.credits.used").tag("namespace", ns)
            .gauge() != null);
        Thread.sleep(2000); // a few recounts (credits.resync is 1 s) by the new operator
        assertThat(figures(account(client, ns))).isEqualTo(before);
        assertThat(restarted.metrics().find("conpaas.credits.used").tag("namespace", ns).gauge().value())
            .isEqualTo(2.0);

        // The second hour of both VMs starts: not covered.
        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).untilAsserted(() -> {
          HelloWorldService hello = world.service("hello");
          assertThat(hello.getStatus().getState()).isEqualTo(ServiceState.STOPPED);
          assertThat(hello.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(ConditionTypes.READY);
            assertThat(c.getReason()).isEqualTo("CreditsExhausted");
          });
          assertThat(hello.getStatus().getMessage()).contains("credits exhausted");
          assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty();
          assertThat(LocalVms.liveProcesses(workDir)).isZero();
        });
        HelloWorldService stopped = world.service("hello");
        assertThat(stopped.getSpec().getAgents().getNodes()).as("the spec is the user's").isEqualTo(2);
        assertThat(stopped.getSpec().getStopped()).isNull();
        await().atMost(WAIT).untilAsserted(() -> {
          CreditAccountStatus s = account(client, ns).getStatus();
          assertThat(s.getUsed()).isEqualTo(4);
          assertThat(s.getExhausted()).isTrue();
          assertThat(s.getVms()).isEmpty();
          assertThat(s.getServices()).singleElement().satisfies(u -> assertThat(u.getReleased()).isEqualTo(4));
        });
        assertThat(warnings(client, ns, "CreditsExhausted")).as("on the account and the service").isGreaterThan(1);

        // Another restart, while exhausted: still no figure changes, still stopped.
        String exhausted = figures(account(client, ns));
        op.close();
        op = start(settings, clock);
        Thread.sleep(3000);
        assertThat(figures(account(client, ns))).isEqualTo(exhausted);
        assertThat(world.service("hello").getStatus().getState()).isEqualTo(ServiceState.STOPPED);
        assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty();

        // An administrator grants 2 more hours of 2 VMs... minus what the account owes: 6 in all.
        client.resources(CreditAccount.class).inNamespace(ns).withName("default")
            .edit(a -> { a.getSpec().setCredits(6L); return a; });
        world.awaitState("hello", ServiceState.RUNNING);
        assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).hasSize(2);
        await().atMost(WAIT).untilAsserted(() -> {
          CreditAccountStatus s = account(client, ns).getStatus();
          assertThat(s.getUsed()).isEqualTo(6);
          assertThat(s.getExhausted()).isFalse();
          assertThat(s.getVms()).hasSize(2);
        });

        client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").delete();
        await().atMost(WAIT).until(() -> LocalVms.liveProcesses(workDir) == 0
            && client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get() == null);
        // Deleting the service refunds nothing.
        await().atMost(WAIT).untilAsserted(() -> {
          CreditAccountStatus s = account(client, ns).getStatus();
          assertThat(s.getUsed()).isEqualTo(6);
          assertThat(s.getServices()).singleElement().satisfies(u -> {
            assertThat(u.getReleased()).isEqualTo(6);
            assertThat(u.getVms()).isZero();
          });
        });
      } finally {
        op.close();
      }
    }
  }

  @Test
  void withEnforcementANamespaceWithoutAnAccountStartsNoVmAndSaysWhy() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "enforce", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3)
          .withCredits(new CreditSettings(true, Duration.ofSeconds(1)));
      try (ConpaasOperator op = start(settings, new SettableClock())) {
        world.helloWorld("hello", 1, "not yet");
        await().atMost(WAIT).untilAsserted(() -> {
          HelloWorldService hello = world.service("hello");
          assertThat(hello.getStatus().getState()).isEqualTo(ServiceState.STOPPED);
          assertThat(hello.getStatus().getMessage()).contains("credits are enforced")
              .contains("no CreditAccount");
          assertThat(hello.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(ConditionTypes.READY);
            assertThat(c.getReason()).isEqualTo("NoCreditAccount");
          });
        });
        assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty();

        client.resource(account(ns, 1)).create();
        world.awaitState("hello", ServiceState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(account(client, ns).getStatus().getUsed()).isEqualTo(1));

        client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").delete();
        await().atMost(WAIT).until(() -> LocalVms.liveProcesses(workDir) == 0
            && client.resources(HelloWorldService.class).inNamespace(ns).withName("hello").get() == null);
      }
    }
  }

  @Test
  void aMysqlMastersDataIsNeverReleasedSilently() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    SettableClock clock = new SettableClock();
    try (LocalWorld world = LocalWorld.create(client, "credits-db", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(90), 3)
          .withCredits(new CreditSettings(false, Duration.ofSeconds(1)));
      client.resource(account(ns, 1)).create();
      try (ConpaasOperator op = start(settings, clock)) {
        MysqlService db = new MysqlService();
        db.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("db").build());
        MysqlServiceSpec spec = new MysqlServiceSpec();
        spec.setApplication(LocalWorld.APP);
        spec.setMaster(new RoleSpec(1));
        spec.setSlaves(new ScaleRoleSpec(0));
        db.setSpec(spec);
        client.resource(db).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(mysql(client, ns).getStatus().getState())
            .isEqualTo(ServiceState.RUNNING));
        // 10% left: the warning says in advance what stopping would release.
        await().atMost(WAIT).untilAsserted(() -> assertThat(warningMessages(client, ns, "CreditsLow"))
            .anySatisfy(m -> assertThat(m).contains("MysqlService db").contains("back it up")));

        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(mysql(client, ns).getStatus().getState()).isEqualTo(ServiceState.STOPPED);
          assertThat(client.resources(Agent.class).inNamespace(ns).list().getItems()).isEmpty();
        });
        assertThat(warningMessages(client, ns, "CreditsExhausted")).anySatisfy(m ->
            assertThat(m).contains("db-master-0").contains("data"));

        client.resources(MysqlService.class).inNamespace(ns).withName("db").delete();
        await().atMost(WAIT).until(() -> client.resources(MysqlService.class).inNamespace(ns).withName("db")
            .get() == null);
      }
    }
  }

  private static MysqlService mysql(KubernetesClient client, String ns) {
    return client.resources(MysqlService.class).inNamespace(ns).withName("db").get();
  }

  private static java.util.List<String> warningMessages(KubernetesClient client, String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .map(io.fabric8.kubernetes.api.model.Event::getMessage).toList();
  }

  private static ConpaasOperator start(OperatorSettings settings, SettableClock clock) {
    return TestOperator.start(settings, TestOperator.localDrivers(settings.localWorkDir()),
        CodeSettings.beside(settings.localWorkDir()), clock);
  }

  static CreditAccount account(String ns, long credits) {
    CreditAccount a = new CreditAccount();
    a.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(CreditAccount.NAME).build());
    a.setSpec(new CreditAccountSpec(credits));
    return a;
  }

  private static CreditAccount account(KubernetesClient client, String ns) {
    return client.resources(CreditAccount.class).inNamespace(ns).withName(CreditAccount.NAME).get();
  }

  /** The account's figures (the conditions' times aside). */
  private static String figures(CreditAccount a) {
    CreditAccountStatus s = a.getStatus();
    return Serialization.asJson(new Object[] {s.getUsed(), s.getRemaining(), s.getExhausted(), s.getServices(),
        s.getVms()});
  }

  private static long warnings(KubernetesClient client, String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).count();
  }
}
