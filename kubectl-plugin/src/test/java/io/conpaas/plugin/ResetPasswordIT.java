package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * reset-password against the real API server, with the test playing the operator: once the
 * Secret holds the new password, it sets the running Agents' facts.credentialsVersion to the
 * Secret's resourceVersion through /status. The password never appears in the output.
 */
class ResetPasswordIT {
  static final String NEW = "n3w-Passw0rd!";
  static final String NEW_BASE64 = base64(NEW);

  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-password");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void patchesOnlyThePasswordAndLabelThenWaitsForEveryRunningAgent() throws Exception {
    TestObjects.mysql(client, ns, "db", 2, null);
    TestObjects.mysqlStatus(client, ns, "db", "RUNNING", "10.1.0.10:3306", "db-mysql");
    // A Secret without the operator's label (e.g. made by hand): the reset adds the label, so the operator notices.
    Secret old = operatorSecret("db-mysql", null);
    String oldVersion = old.getMetadata().getResourceVersion();
    for (String agent : List.of("master-0", "slaves-0")) {
      String[] roleIndex = agent.split("-");
      TestObjects.mysqlAgent(client, ns, "db", roleIndex[0], Integer.parseInt(roleIndex[1]), AgentPhase.Running,
          Map.of("port", "3306", CredentialsRollout.FACT, oldVersion));
    }
    // Not running: configured with the current credentials when it gets there, so not waited for.
    TestObjects.mysqlAgent(client, ns, "db", "slaves", 1, AgentPhase.Booting, Map.of());
    // Another service's agent, with a stale version, is none of this service's business.
    TestObjects.mysqlAgent(client, ns, "other", "master", 0, AgentPhase.Running,
        Map.of(CredentialsRollout.FACT, oldVersion));

    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() ->
        Plugin.runWithInput(NEW + "\nignored second line\n", () -> null, "-n", ns, "reset-password", "db",
            "--password-stdin"));
    Secret reset = awaitPassword("db-mysql", NEW);
    assertThat(run).isNotDone();
    TestObjects.facts(client, ns, "db-master-0", Map.of("port", "3306",
        CredentialsRollout.FACT, reset.getMetadata().getResourceVersion()));
    Thread.sleep(300);
    assertThat(run).as("one agent still uses the old password").isNotDone();
    TestObjects.facts(client, ns, "db-slaves-0", Map.of("port", "3306",
        CredentialsRollout.FACT, reset.getMetadata().getResourceVersion()));
    Plugin.Result r = run.get(30, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("mysqlservice/db: password reset (Secret db-mysql); 2 agents use it\n");
    assertThat(r.err()).isEmpty();
    assertNoPassword(r);
    Secret after = client.secrets().inNamespace(ns).withName("db-mysql").get();
    assertThat(after.getData()).containsOnlyKeys("password", "replicationPassword")
        .containsEntry("password", NEW_BASE64)
        .containsEntry("replicationPassword", old.getData().get("replicationPassword"));
    assertThat(after.getMetadata().getLabels()).containsEntry("conpaas.io/mysql-service", "db")
        .containsEntry("team", "red");
    ManagedFieldsEntry patch = after.getMetadata().getManagedFields().stream()
        .filter(m -> ServicePatcher.FIELD_MANAGER.equals(m.getManager())).findFirst().orElseThrow();
    assertThat(patch.getOperation()).isEqualTo("Update");
    assertThat(Serialization.unmarshal(Serialization.asJson(patch.getFieldsV1()), Map.class)).isEqualTo(Map.of(
        "f:data", Map.of("f:password", Map.of()),
        "f:metadata", Map.of("f:labels", Map.of("f:conpaas.io/mysql-service", Map.of()))));
  }

  @Test
  void theOperatorsLaterWritesToTheSecretStillCountAsTheNewPassword() throws Exception {
    TestObjects.mysql(client, ns, "later", 0, "later-creds");
    TestObjects.mysqlAgent(client, ns, "later", "master", 0, AgentPhase.Running, Map.of("port", "3306"));

    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() ->
        Plugin.runWithInput(NEW + "\n", () -> null, "-n", ns, "reset-password", "later", "--password-stdin"));
    Secret created = awaitPassword("later-creds", NEW);
    // The operator completes a Secret the plugin created: another key, another resourceVersion.
    Secret completed = client.secrets().inNamespace(ns).withName("later-creds")
        .edit(s -> new SecretBuilder(s).addToData("replicationPassword", base64("repl-secret")).build());
    assertThat(completed.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
    TestObjects.facts(client, ns, "later-master-0", Map.of(CredentialsRollout.FACT,
        completed.getMetadata().getResourceVersion()));
    Plugin.Result r = run.get(30, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("mysqlservice/later: password reset (Secret later-creds); 1 agent uses it\n");
    assertThat(created.getType()).isEqualTo("Opaque");
    assertThat(created.getData()).containsOnlyKeys("password");
    assertThat(created.getMetadata().getLabels()).isEqualTo(Map.of("conpaas.io/mysql-service", "later"));
    assertNoPassword(r);
  }

  @Test
  void aMissingSecretIsCreatedAndWithoutRunningAgentsThereIsNothingToWaitFor() {
    TestObjects.mysql(client, ns, "fresh", 0, null);
    List<String> prompts = new java.util.ArrayList<>();

    Plugin.Result r = Plugin.runWithInput("", () -> terminal(prompts, NEW, NEW), "-n", ns, "reset-password", "fresh");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(prompts).containsExactly("New password for mysqladb of mysqlservice/fresh: ", "Repeat it: ");
    assertThat(r.out()).isEqualTo("mysqlservice/fresh: password reset (Secret fresh-mysql); 0 agents use it\n");
    assertThat(r.errLines()).containsExactly(
        "warning: no agent of mysqlservice/fresh is running; they use the new password when they start");
    assertNoPassword(r);
    Secret created = client.secrets().inNamespace(ns).withName("fresh-mysql").get();
    assertThat(created.getData()).isEqualTo(Map.of("password", NEW_BASE64));
    assertThat(created.getMetadata().getLabels()).isEqualTo(Map.of("conpaas.io/mysql-service", "fresh"));
  }

  @Test
  void agentsThatNeverUseTheNewPasswordTimeOutNamingThemButNotThePassword() {
    TestObjects.mysql(client, ns, "stuck", 0, null);
    String old = operatorSecret("stuck-mysql", "stuck").getMetadata().getResourceVersion();
    TestObjects.mysqlAgent(client, ns, "stuck", "master", 0, AgentPhase.Running,
        Map.of(CredentialsRollout.FACT, old));

    Plugin.Result r = Plugin.runWithInput(NEW + "\n", () -> null, "-n", ns, "reset-password", "stuck",
        "--password-stdin", "--timeout", "2s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("error: timed out after 2s waiting for the agents of mysqlservice/stuck "
        + "to use the new password, which is set in Secret stuck-mysql; not yet: stuck-master-0 (credentials version "
        + old + ") (is the operator running?)");
    assertNoPassword(r);
    assertThat(client.secrets().inNamespace(ns).withName("stuck-mysql").get().getData())
        .containsEntry("password", NEW_BASE64);
  }

  @Test
  void badPasswordsNoTerminalAndForeignSecretsChangeNothing() {
    TestObjects.mysql(client, ns, "guarded", 0, "shared-creds");
    Secret before = operatorSecret("shared-creds", "someone-else");

    Plugin.Result foreign = Plugin.runWithInput(NEW + "\n", () -> null, "-n", ns, "reset-password", "guarded",
        "--password-stdin");
    Plugin.Result tooShort = Plugin.runWithInput("short\n", () -> null, "-n", ns, "reset-password", "guarded",
        "--password-stdin");
    Plugin.Result empty = Plugin.runWithInput("\n", () -> null, "-n", ns, "reset-password", "guarded",
        "--password-stdin");
    Plugin.Result noTerminal = Plugin.runWithInput(NEW + "\n", () -> null, "-n", ns, "reset-password", "guarded");
    Plugin.Result differ = Plugin.runWithInput("", () -> terminal(new java.util.ArrayList<>(), NEW, NEW + "x"),
        "-n", ns, "reset-password", "guarded");

    assertThat(foreign.errLines()).containsExactly("error: Secret shared-creds belongs to mysqlservice/someone-else "
        + "(label conpaas.io/mysql-service); nothing was changed");
    assertThat(tooShort.errLines()).containsExactly(
        "error: the new password is too short: it needs at least 8 characters; nothing was changed");
    assertThat(empty.errLines()).containsExactly("error: the new password is empty; nothing was changed");
    assertThat(noTerminal.errLines()).containsExactly(
        "error: no terminal to ask for the new password; give it on stdin with --password-stdin");
    assertThat(differ.errLines()).containsExactly("error: the two passwords differ; nothing was changed");
    for (Plugin.Result r : List.of(foreign, tooShort, empty, noTerminal, differ)) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertNoPassword(r);
    }
    assertThat(client.secrets().inNamespace(ns).withName("shared-creds").get().getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void aUserWhoMayNotWriteSecretsGetsOneForbiddenLineWithoutThePassword() {
    TestObjects.mysql(client, ns, "locked", 0, null);
    operatorSecret("locked-mysql", "locked");
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("dba").endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("mysqlservices", "agents")
                .withVerbs("get", "list").build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withVerbs("get").build())
        .build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName("dba")
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("dba")
        .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("dba").withNamespace(ns).endSubject()
        .build()).create();
    String dba = "system:serviceaccount:" + ns + ":dba";

    Plugin.Result r = Plugin.runWithInput(NEW + "\n", () -> null, "-n", ns, "--as", dba, "reset-password", "locked",
        "--password-stdin");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).singleElement().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("User \"" + dba + "\" cannot patch resource \"secrets\"");
    assertNoPassword(r);
    assertThat(client.secrets().inNamespace(ns).withName("locked-mysql").get().getData().get("password"))
        .isEqualTo(base64("old-random-password"));
  }

  /**
   * The Secret as the operator creates it: both keys, a label of the user's and the operator's label
   * naming {@code service} (none when null).
   */
  private static Secret operatorSecret(String name, String service) {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels("team", "red").endMetadata()
        .addToData("password", base64("old-random-password")).addToData("replicationPassword", base64("repl-random"));
    if (service != null) {
      b.editMetadata().addToLabels("conpaas.io/mysql-service", service).endMetadata();
    }
    return client.resource(b.build()).create();
  }

  /** Waits until Secret {@code name} holds {@code password}, as the operator's informer would see it. */
  private static Secret awaitPassword(String name, String password) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(
        () -> client.secrets().inNamespace(ns).withName(name).get(),
        s -> s != null && s.getData() != null && base64(password).equals(s.getData().get("password")));
  }

  private static void assertNoPassword(Plugin.Result r) {
    assertThat(r.out() + r.err()).doesNotContain(NEW).doesNotContain(NEW_BASE64).doesNotContain("short\n");
  }

  private static PasswordInput.Terminal terminal(List<String> prompts, String... answers) {
    Deque<String> left = new ArrayDeque<>(List.of(answers));
    return prompt -> {
      prompts.add(prompt);
      return left.isEmpty() ? null : left.pop().toCharArray();
    };
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
