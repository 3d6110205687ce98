package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.LocalObjectRef;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.mysql.MysqlSecrets;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator touches only Secrets labelled for a MySQL service: a passwordSecretRef naming
 * another Secret of the namespace is refused with a message saying which label to add, and the
 * Secret is neither changed nor read into agents; the Secret the operator creates belongs to its
 * service (owner reference), so garbage collection removes it with the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretAccessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path workDir;

  private KubernetesClient client;
  private LocalWorld world;
  private ConpaasOperator operator;

  @BeforeAll
  void start() {
    client = DevCluster.client();
    world = LocalWorld.create(client, "secrets", workDir);
    operator = TestOperator.start(TestOperator.settings(world.namespace(), workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir));
  }

  @AfterAll
  void stop() {
    client.resources(MysqlService.class).inNamespace(world.namespace()).delete();
    await().atMost(WAIT).until(() ->
        client.resources(MysqlService.class).inNamespace(world.namespace()).list().getItems().isEmpty());
    operator.close();
    world.close();
  }

  @Test
  void aPasswordSecretRefToAnUnlabelledSecretIsRefusedAndTheSecretIsLeftAlone() {
    // Someone else's Secret in the namespace, with the keys the operator would copy to agents.
    Secret foreign = client.resource(new SecretBuilder().withNewMetadata().withName("team-db")
        .withNamespace(world.namespace()).endMetadata()
        .withStringData(Map.of(MysqlSecrets.PASSWORD, "their-password", "other", "x")).build()).create();

    client.resource(mysql("thief", "team-db", false)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      MysqlService s = service("thief");
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(s.getStatus().getMessage()).contains("Secret team-db is not labelled for this service")
          .contains("conpaas.io/mysql-service=thief");
    });
    Secret after = client.secrets().inNamespace(world.namespace()).withName("team-db").get();
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(after.getData()).doesNotContainKey(MysqlSecrets.REPLICATION_PASSWORD);
    assertThat(client.resources(Agent.class).inNamespace(world.namespace()).list().getItems())
        .as("no VM is started for a refused service").isEmpty();
    assertThat(client.v1().events().inNamespace(world.namespace()).list().getItems())
        .noneMatch(e -> String.valueOf(e.getMessage()).contains("their-password"));
  }

  @Test
  void credentialsAreReadOnlyFromSecretsLabelledForAMysqlService() {
    // The path a PhpService's backends get a database password by: the Secret must be labelled.
    client.resource(new SecretBuilder().withNewMetadata().withName("complete").withNamespace(world.namespace())
        .endMetadata().withStringData(Map.of(MysqlSecrets.PASSWORD, "p1", MysqlSecrets.REPLICATION_PASSWORD, "p2"))
        .build()).create();
    MysqlSecrets secrets = new MysqlSecrets(client);

    assertThat(secrets.read(world.namespace(), "complete")).isEmpty();

    client.secrets().inNamespace(world.namespace()).withName("complete")
        .edit(s -> new SecretBuilder(s).editMetadata().addToLabels(MysqlSecrets.SERVICE_LABEL, "db").endMetadata()
            .build());
    assertThat(secrets.read(world.namespace(), "complete")).hasValueSatisfying(c ->
        assertThat(c.password()).isEqualTo("p1"));
  }

  @Test
  void theSecretTheOperatorCreatesBelongsToItsService() {
    client.resource(mysql("own", null, true)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      Secret s = client.secrets().inNamespace(world.namespace()).withName("own-mysql").get();
      assertThat(s.getMetadata().getLabels()).containsEntry(MysqlSecrets.SERVICE_LABEL, "own");
      assertThat(s.getMetadata().getOwnerReferences()).hasSize(1);
      OwnerReference ref = s.getMetadata().getOwnerReferences().get(0);
      assertThat(ref.getKind()).isEqualTo("MysqlService");
      assertThat(ref.getApiVersion()).isEqualTo("conpaas.io/v1alpha1");
      assertThat(ref.getName()).isEqualTo("own");
      assertThat(ref.getUid()).isEqualTo(service("own").getMetadata().getUid());
      assertThat(service("own").getStatus().getState()).isEqualTo(ServiceState.STOPPED);
    });

    // The dev cluster's garbage collector removes it with its service.
    client.resources(MysqlService.class).inNamespace(world.namespace()).withName("own").delete();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(client.secrets().inNamespace(world.namespace()).withName("own-mysql").get()).isNull());
  }

  @Test
  void aSecretItsOwnerLabelledForTheServiceIsUsed() {
    client.resource(new SecretBuilder().withNewMetadata().withName("given").withNamespace(world.namespace())
        .addToLabels(MysqlSecrets.SERVICE_LABEL, "labelled").endMetadata()
        .withStringData(Map.of(MysqlSecrets.PASSWORD, "chosen-by-owner")).build()).create();

    client.resource(mysql("labelled", "given", true)).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(service("labelled").getStatus().getState()).isEqualTo(ServiceState.STOPPED);
      Secret s = client.secrets().inNamespace(world.namespace()).withName("given").get();
      assertThat(s.getData()).containsKey(MysqlSecrets.REPLICATION_PASSWORD);
      assertThat(s.getMetadata().getOwnerReferences()).as("the owner's Secret stays the owner's").isEmpty();
    });
  }

  private MysqlService service(String name) {
    return client.resources(MysqlService.class).inNamespace(world.namespace()).withName(name).get();
  }

  private MysqlService mysql(String name, String secret, boolean stopped) {
    MysqlService db = new MysqlService();
    db.setMetadata(new ObjectMetaBuilder().withNamespace(world.namespace()).withName(name).build());
    MysqlServiceSpec spec = new MysqlServiceSpec();
    spec.setApplication(LocalWorld.APP);
    spec.setMaster(new RoleSpec(1));
    spec.setSlaves(new ScaleRoleSpec(0));
    spec.setStopped(stopped);
    if (secret != null) {
      spec.setPasswordSecretRef(new LocalObjectRef(secret));
    }
    db.setSpec(spec);
    return db;
  }
}
