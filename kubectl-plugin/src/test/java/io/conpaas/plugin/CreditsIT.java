package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.api.v1alpha1.ServiceCredits;
import io.conpaas.testing.AdmissionWait;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * credits against the real API server: no account, a grant that creates it, a grant that adds,
 * usage per service, the credits line of list and usage, and a namespace owner's grant refused by
 * the chart's admission policy in one line.
 */
class CreditsIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-credits");
    TestObjects.helloWorld(client, ns, "hw", 2);
    TestObjects.helloWorldStatus(client, ns, "hw", "RUNNING", 2, 2, null);
    // The chart's policy, this very file.
    String policy = Files.readString(DevCluster.repoRoot().resolve("helm/conpaas/templates/credits-policy.yaml"));
    client.load(new ByteArrayInputStream(policy.getBytes())).items()
        .forEach(o -> client.resource(o).serverSideApply());
  }

  @AfterAll
  static void cleanUp() {
    client.resources(CreditAccount.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void grantsShowsUsagePerServiceAndAddsTheCreditsLineToListAndUsage() {
    Plugin.Result none = Plugin.run("-n", ns, "credits");
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(none.out()).contains("namespace " + ns + ": no CreditAccount");
    assertThat(Plugin.run("-n", ns, "list").out()).doesNotContain("Credits:");

    Plugin.Result created = Plugin.run("-n", ns, "credits", "--grant", "5");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("granted 5 credits to namespace " + ns + ": 5 in total (was 0)");
    Plugin.Result added = Plugin.run("-n", ns, "credits", "--grant", "3");
    assertThat(added.out()).contains("8 in total (was 5)");
    assertThat(account().getSpec().getCredits()).isEqualTo(8);

    // The operator's figures (written here as it would).
    CreditAccount a = account();
    CreditAccountStatus s = new CreditAccountStatus();
    s.setUsed(9L);
    s.setRemaining(0L);
    s.setExhausted(true);
    s.setServices(List.of(new ServiceCredits("HelloWorldService", "hw", 6, 4, 2),
        new ServiceCredits("PhpService", "gone", 3, 3, 0)));
    a.setStatus(s);
    client.resource(a).updateStatus();

    Plugin.Result shown = Plugin.run("-n", ns, "credits");
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out()).startsWith("namespace " + ns + ": 8 credits granted, 9 used, 0 left; EXHAUSTED");
    assertThat(shown.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
        .containsExactly("HelloWorldService", "hw", "6", "4", "2"));
    assertThat(shown.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
        .containsExactly("PhpService", "gone", "3", "3", "0"));
    assertThat(Plugin.run("-n", ns, "credits", "-o", "json").out()).contains("\"credits\" : 8");

    assertThat(Plugin.run("-n", ns, "list").out()).contains("Credits: 8 credits granted, 9 used, 0 left; EXHAUSTED");
    assertThat(Plugin.run("-n", ns, "usage", "hw").out())
        .contains("credits: 8 credits granted, 9 used, 0 left; EXHAUSTED").contains("this service used 6");

    Plugin.Result zero = Plugin.run("-n", ns, "credits", "--grant", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.errLines()).containsExactly("error: --grant takes a positive number of credits, got 0");
  }

  @Test
  void aNamespaceOwnerWhoMayWriteTheAccountStillCannotGrantHerself() {
    // A namespace of its own: the other test starts from one without an account.
    String ns = TestNamespace.create(client, "plugin-owner");
    String owner = "system:serviceaccount:" + ns + ":owner";
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("owner")
        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("*")
            .withVerbs("*").build()).build()).serverSideApply();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("owner").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("owner").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("owner").withNamespace(ns).endSubject()
        .build()).serverSideApply();
    assertThat(Plugin.run("-n", ns, "credits", "--grant", "1").exitCode()).isZero();

    // A new policy takes a moment to be enforced: wait with dry runs, which admission judges but
    // nothing stores, so that a raise slipping through early cannot change what is checked below.
    try (KubernetesClient asOwner = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
        client.getConfiguration()).withImpersonateUsername(owner).build()).build()) {
      AdmissionWait.untilRefused(() -> asOwner.resources(CreditAccount.class).inNamespace(ns).withName("default")
          .dryRun().edit(a -> {
            a.getSpec().setCredits(100L);
            return a;
          }), "only an administrator grants", Duration.ofSeconds(30));
    }
    Plugin.Result r = Plugin.run("-n", ns, "--as", owner, "credits", "--grant", "100");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403)")
        .contains("only an administrator grants credits");
    assertThat(client.resources(CreditAccount.class).inNamespace(ns).withName("default").get().getSpec()
        .getCredits()).isEqualTo(1);
    // She reads it like any user.
    assertThat(Plugin.run("-n", ns, "--as", owner, "credits").exitCode()).isZero();
    client.resources(CreditAccount.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  private static CreditAccount account() {
    return client.resources(CreditAccount.class).inNamespace(ns).withName("default").get();
  }
}
