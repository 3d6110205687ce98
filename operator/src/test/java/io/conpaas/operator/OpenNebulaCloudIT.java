package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.opennebula.OneContractServer;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.OpenNebulaCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenNebula driver end to end against the XML-RPC contract server, with the rig booting
 * an agent from each VM's CONTEXT; and wrong credentials surfacing as Cloud Ready=False.
 */
class OpenNebulaCloudIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int DONE = 6;

  @TempDir
  Path workDir;

  KubernetesClient client;
  String ns;
  String cloudName;
  OneContractServer one;
  HypervisorRig rig;
  OperatorSettings settings;

  @BeforeEach
  void cloudAndRig() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "one");
    cloudName = "one-" + ns;
    one = OneContractServer.start("oneadmin", "opennebula-pass");
    rig = new HypervisorRig(new OpenNebulaCloud(one), workDir.resolve("rig"), TestOperator.agentLauncher());
    settings = TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(60), 3);
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
    client.resource(CloudFixtures.openNebula(cloudName, one.endpoint(), new SecretRef("one", ns))).create();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    rig.close();
    one.close();
    client.resources(Cloud.class).withName(cloudName).delete();
  }

  @Test
  void threeVmsScaleToOneAndAreAllTerminatedOnDelete() {
    client.resource(CloudFixtures.secret(ns, "one", Map.of("username", "oneadmin", "password", "opennebula-pass")))
        .create();
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 3, "from opennebula")).create();
      awaitState(ServiceState.RUNNING, 3);
      assertThat(liveVms()).hasSize(3);
      HttpsAgentClient agentClient = new HttpsAgentClient(op.agentTls(), Duration.ofSeconds(3));
      for (Agent a : client.resources(Agent.class).inNamespace(ns).list().getItems()) {
        OneContractServer.StoredVm vm = one.vm(a.getStatus().getInstanceId()).orElseThrow();
        assertThat(vm.name()).startsWith(a.getMetadata().getName() + "-");
        assertThat(vm.userTemplate()).containsEntry("CONPAAS_AGENT_UID", a.getMetadata().getUid())
            .containsEntry("CONPAAS_CLIENT_TOKEN", a.getStatus().getClientToken());
        assertThat(agentClient.get(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a), "/helloworld"))
            .contains("from opennebula");
        // The template OpenNebula keeps (and the VM's context CD-ROM) holds no private key.
        String context = new String(java.util.Base64.getDecoder().decode(vm.context().get("CONPAAS_CONTEXT")),
            java.nio.charset.StandardCharsets.UTF_8);
        assertThat(context).contains("bootstrapToken").doesNotContain("PRIVATE KEY");
        assertThat(vm.templateText()).doesNotContain("PRIVATE KEY");
      }

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").scale(1);
      awaitState(ServiceState.RUNNING, 1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(liveVms()).hasSize(1));
      assertThat(one.actions()).filteredOn(a -> a.contains("terminate-hard")).hasSize(2);

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").delete();
      await().atMost(WAIT).until(() -> client.resources(HelloWorldService.class).inNamespace(ns)
          .withName("web").get() == null);
      assertThat(liveVms()).isEmpty();
    }
  }

  @Test
  void wrongCredentialsMakeTheCloudNotReadyWithTheReasonAndFixingTheSecretRecovers() {
    client.resource(CloudFixtures.secret(ns, "one", Map.of("username", "oneadmin", "password", "wrong-pass")))
        .create();
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(ready()).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("AuthFailure");
        assertThat(c.getMessage()).doesNotContain("wrong-pass");
      }));
      client.resource(Fixtures.helloWorld(ns, "web", "app", 1, "later")).create();
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("web").get();
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.ERROR);
        assertThat(s.getStatus().getMessage()).contains("AuthFailure").doesNotContain("wrong-pass");
      });
      assertThat(liveVms()).isEmpty();

      client.resource(CloudFixtures.secret(ns, "one", Map.of("username", "oneadmin", "password",
          "opennebula-pass"))).update();
      await().atMost(WAIT).untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo("True"));
      awaitState(ServiceState.RUNNING, 1);
    }
  }

  private Condition ready() {
    Cloud c = client.resources(Cloud.class).withName(cloudName).get();
    assertThat(c.getStatus()).isNotNull();
    return c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst().orElseThrow();
  }

  private List<OneContractServer.StoredVm> liveVms() {
    return one.vms().stream().filter(vm -> vm.state() != DONE).toList();
  }

  private void awaitState(ServiceState state, int replicas) {
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("web").get();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(state);
      assertThat(s.getStatus().getReplicas()).isEqualTo(replicas);
    });
  }
}
