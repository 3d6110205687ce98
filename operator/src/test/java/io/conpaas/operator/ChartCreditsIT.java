package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.operator.testing.Helm;
import io.conpaas.testing.AdmissionWait;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Who may grant credits, with the chart's RBAC and admission policy applied to the real API
 * server and users impersonated: a user who edits services reads the account but cannot change
 * it; a namespace owner who can write it (a wildcard Role) still cannot raise it (the policy says
 * why) though she may lower it; the administrator named in the chart's values can.
 */
class ChartCreditsIT {
  @Test
  void onlyAnAdministratorRaisesCredits() {
    KubernetesClient admin = DevCluster.client();
    String opNs = TestNamespace.create(admin, "conpaas-op");
    String ns = TestNamespace.create(admin, "team");
    String release = "c" + opNs.substring(opNs.length() - 6);
    Helm.applyWithoutDeployment(admin, Helm.template(release, opNs,
        "--set", "credits.administrators.users={carol-" + ns + "}"));
    admin.resource(CreditsIT.account(ns, 2)).create();

    // alice edits services (and reads the account through the chart's viewer role).
    admin.resource(new RoleBuilder().withNewMetadata().withName("service-editor").withNamespace(ns).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io")
            .withResources("helloworldservices", "phpservices", "javaservices", "mysqlservices", "scalarisservices",
                "applications")
            .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build())
        .build()).create();
    bind(admin, ns, "alice", "Role", "service-editor");
    bind(admin, ns, "alice", "ClusterRole", release + "-operator-credits-viewer");
    // mallory owns the namespace: a wildcard Role over the API group.
    admin.resource(new RoleBuilder().withNewMetadata().withName("owner").withNamespace(ns).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("*").withVerbs("*").build())
        .build()).create();
    bind(admin, ns, "mallory", "Role", "owner");

    try (KubernetesClient alice = as(admin, "alice");
         KubernetesClient mallory = as(admin, "mallory");
         KubernetesClient carol = as(admin, "carol-" + ns)) {
      assertThat(alice.resources(CreditAccount.class).inNamespace(ns).withName("default").get().getSpec().getCredits())
          .isEqualTo(2);
      assertThat(canI("alice", "patch", ns)).isEqualTo("no");
      assertThat(canI("alice", "get", ns)).isEqualTo("yes");
      assertThatThrownBy(() -> raise(alice, ns, 100))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("alice").contains("creditaccounts");
          });

      // RBAC lets mallory write; the policy still refuses her a raise, and says why.
      assertThat(canI("mallory", "patch", ns)).isEqualTo("yes");
      // A new policy takes a moment to be enforced. Wait with dry runs: a real raise that slipped
      // through before then would make every later try a no-op (100 -> 100) that the policy allows.
      AdmissionWait.untilRefused(() -> raiseDryRun(mallory, ns), "only an administrator grants", Duration.ofSeconds(30));
      assertThatThrownBy(() -> raise(mallory, ns, 100))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("only an administrator grants credits")
                .contains("namespace " + ns).contains("grant on creditaccounts cluster-wide");
          });
      assertThat(admin.resources(CreditAccount.class).inNamespace(ns).withName("default").get().getSpec()
          .getCredits()).isEqualTo(2);
      // Nor can she make a fresh account with credits in a namespace she owns.
      admin.resources(CreditAccount.class).inNamespace(ns).withName("default").delete();
      await().atMost(Duration.ofSeconds(20))
          .until(() -> admin.resources(CreditAccount.class).inNamespace(ns).withName("default").get() == null);
      assertThatThrownBy(() -> mallory.resource(CreditsIT.account(ns, 50)).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e ->
              assertThat(e.getMessage()).contains("only an administrator grants credits"));
      admin.resource(CreditsIT.account(ns, 2)).create();
      // Lowering is not granting.
      raise(mallory, ns, 1);
      assertThat(admin.resources(CreditAccount.class).inNamespace(ns).withName("default").get().getSpec()
          .getCredits()).isEqualTo(1);

      // The administrator named in the chart's values grants.
      raise(carol, ns, 10);
      assertThat(alice.resources(CreditAccount.class).inNamespace(ns).withName("default").get().getSpec()
          .getCredits()).isEqualTo(10);
    }
  }

  private static void raise(KubernetesClient as, String ns, long credits) {
    as.resources(CreditAccount.class).inNamespace(ns).withName("default")
        .edit(a -> {
          a.getSpec().setCredits(credits);
          return a;
        });
  }

  /** A raise to 100 that admission judges but the API server does not store. */
  private static void raiseDryRun(KubernetesClient as, String ns) {
    as.resources(CreditAccount.class).inNamespace(ns).withName("default").dryRun()
        .edit(a -> {
          a.getSpec().setCredits(100L);
          return a;
        });
  }

  private static KubernetesClient as(KubernetesClient admin, String user) {
    Config config = new ConfigBuilder(admin.getConfiguration()).withImpersonateUsername(user)
        .withImpersonateGroups("system:authenticated").build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void bind(KubernetesClient admin, String ns, String user, String kind, String role) {
    admin.resource(new RoleBindingBuilder().withNewMetadata().withName(user + "-" + role).withNamespace(ns)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", kind, role)
        .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject()
        .build()).create();
  }

  private static String canI(String user, String verb, String ns) {
    return Kubectl.run("auth", "can-i", verb, "creditaccounts.conpaas.io", "-n", ns, "--as=" + user).output().trim();
  }
}
