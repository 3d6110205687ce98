package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.Helm;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.mysql.MysqlSecrets;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart with its defaults (every namespace watched) grants no access to Secrets outside the
 * operator's own namespace, checked against the real API server by impersonating the chart's
 * ServiceAccount; the operator with exactly that RBAC still runs services, a MysqlService there
 * says which grant it lacks, and binding the chart's ClusterRole in that namespace is enough.
 */
class ChartSecretAccessIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path workDir;

  @Test
  void defaultsGrantNoSecretAccessOutsideTheOperatorsNamespaceYetTheOperatorWorks() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient admin = DevCluster.client();
    String opNs = TestNamespace.create(admin, "conpaas-op");
    String appNs = TestNamespace.create(admin, "tenant");
    String release = "d" + opNs.substring(opNs.length() - 6);
    Helm.applyWithoutDeployment(admin, Helm.template(release, opNs));
    admin.resource(new SecretBuilder().withNewMetadata().withName("private").withNamespace(appNs).endMetadata()
        .withStringData(Map.of(MysqlSecrets.PASSWORD, "not-yours")).build()).create();

    String sa = "system:serviceaccount:" + opNs + ":" + release + "-operator";
    for (String verb : new String[] {"get", "list", "watch", "update", "patch", "delete"}) {
      assertThat(canI(sa, verb, "secrets", "-n", appNs)).as(verb + " in " + appNs).isEqualTo("no");
      assertThat(canI(sa, verb, "secrets", "--all-namespaces")).as(verb + " everywhere").isEqualTo("no");
    }
    assertThat(canI(sa, "get", "secrets/private", "-n", appNs)).isEqualTo("no");
    Config config = new ConfigBuilder(admin.getConfiguration()).withImpersonateUsername(sa)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + opNs, "system:authenticated")
        .build();

    String cloud = "chart-" + appNs;
    admin.resource(Fixtures.localCloud(cloud, workDir)).create();
    admin.resource(Fixtures.application(appNs, "app", cloud)).create();
    OperatorSettings d = TestOperator.settings(appNs, workDir, Duration.ofSeconds(30), 3);
    // The operator in the chart's namespace; scoped to the test's namespace only because the dev
    // cluster is shared with other tests (the RBAC is the default, all-namespace one).
    OperatorSettings settings = new OperatorSettings(d.clusterId(), opNs, d.agentHealthTimeout(),
        d.agentMaxAttempts(), d.runningResync(), d.inventoryMaxAge(), workDir, d.namespaces(), d.orphanGracePeriod(),
        d.cloudResync(), d.agentMaxUnhealthyShare(), d.agentUnhealthyWindow());
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build();
         ConpaasOperator op = new ConpaasOperator(asOperator, settings, TestOperator.localDrivers(workDir),
             Clock.systemUTC())) {
      op.start();
      assertThatThrownBy(() -> asOperator.secrets().inNamespace(appNs).withName("private").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      admin.resource(Fixtures.helloWorld(appNs, "hello", "app", 1, "no secrets needed")).create();
      await().atMost(WAIT).untilAsserted(() -> assertThat(admin.resources(HelloWorldService.class)
          .inNamespace(appNs).withName("hello").get().getStatus().getState()).isEqualTo(ServiceState.RUNNING));

      // MySQL keeps its password in a Secret of the service's namespace: refused, with the way out.
      admin.resource(stoppedMysql(appNs, "db")).create();
      await().atMost(WAIT).untilAsserted(() -> {
        MysqlService db = admin.resources(MysqlService.class).inNamespace(appNs).withName("db").get();
        assertThat(db.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(db.getStatus().getMessage()).contains("may not manage Secrets in namespace " + appNs)
            .contains("serviceSecrets.namespaces");
      });

      // The namespace's owner opts in by binding the chart's ClusterRole there.
      admin.resource(new RoleBindingBuilder().withNewMetadata().withName("conpaas-secrets").withNamespace(appNs)
          .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
              release + "-operator-service-secrets")
          .addNewSubject().withKind("ServiceAccount").withName(release + "-operator").withNamespace(opNs)
          .endSubject().build()).create();
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(admin.resources(MysqlService.class).inNamespace(appNs).withName("db").get().getStatus()
            .getState()).isEqualTo(ServiceState.STOPPED);
        assertThat(admin.secrets().inNamespace(appNs).withName("db-mysql").get().getMetadata().getLabels())
            .containsEntry(MysqlSecrets.SERVICE_LABEL, "db");
      });
      assertThat(admin.secrets().inNamespace(appNs).withName("private").get().getData())
          .containsOnlyKeys(MysqlSecrets.PASSWORD);

      admin.resources(MysqlService.class).inNamespace(appNs).withName("db").delete();
      admin.resources(HelloWorldService.class).inNamespace(appNs).withName("hello").delete();
      await().atMost(WAIT).until(() -> admin.resources(HelloWorldService.class).inNamespace(appNs)
          .withName("hello").get() == null
          && admin.resources(MysqlService.class).inNamespace(appNs).withName("db").get() == null);
    } finally {
      admin.resources(Cloud.class).withName(cloud).delete();
    }
  }

  @Test
  void secretAccessIsGrantedPerListedNamespaceAndClusterWideOnlyOnRequest() {
    String rendered = Helm.template("x", "ops", "--set", "watchNamespaces={a,b}",
        "--set", "serviceSecrets.namespaces={b,c}");
    assertThat(rendered).contains("kind: RoleBinding\nmetadata:\n  name: x-operator-service-secrets\n  namespace: a")
        .contains("namespace: b").contains("namespace: c").doesNotContain("kind: ClusterRoleBinding\nmetadata:\n  "
            + "name: x-operator-service-secrets");
    assertThat(rendered.split("name: x-operator-service-secrets\n  namespace: b", -1)).as("b once").hasSize(2);
    String wide = Helm.template("x", "ops", "--set", "serviceSecrets.clusterWide=true");
    assertThat(wide).contains("kind: ClusterRoleBinding\nmetadata:\n  name: x-operator-service-secrets");
    assertThat(Helm.template("x", "ops")).doesNotContain("kind: ClusterRoleBinding\nmetadata:\n  "
        + "name: x-operator-service-secrets").doesNotContain("kind: RoleBinding\nmetadata:\n  "
        + "name: x-operator-service-secrets");
  }

  private static String canI(String sa, String verb, String resource, String... scope) {
    String[] args = new String[5 + scope.length];
    args[0] = "auth";
    args[1] = "can-i";
    args[2] = verb;
    args[3] = resource;
    System.arraycopy(scope, 0, args, 4, scope.length);
    args[args.length - 1] = "--as=" + sa;
    return Kubectl.run(args).output().trim();
  }

  private static MysqlService stoppedMysql(String ns, String name) {
    MysqlService db = new MysqlService();
    db.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    MysqlServiceSpec spec = new MysqlServiceSpec();
    spec.setApplication("app");
    spec.setMaster(new RoleSpec(1));
    spec.setSlaves(new ScaleRoleSpec(0));
    spec.setStopped(true);
    db.setSpec(spec);
    return db;
  }
}
