package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass that fails unexpectedly (here: the API server refuses to create Agents, through an
 * admission policy) is reported in the service's status (Degraded, reason ReconcileFailed, with
 * the server's message) instead of leaving no or a stale status; once the cause is gone the
 * service runs.
 */
class PassFailureIT {
  @TempDir
  Path workDir;

  private static String policy(String name, String namespace) {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: %1$s
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [conpaas.io]
                apiVersions: [v1alpha1]
                operations: [CREATE]
                resources: [agents]
          validations:
            - expression: "false"
              message: agents are frozen by PassFailureIT
              reason: Forbidden
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata:
          name: %1$s
        spec:
          policyName: %1$s
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: %2$s
        """.formatted(name, namespace);
  }

  @Test
  void aRefusedAgentCreationShowsInTheStatusAndTheServiceRecoversWhenItIsAllowed() {
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "passfail", workDir);
        ConpaasOperator op = TestOperator.start(TestOperator.settings(world.namespace(), workDir,
            Duration.ofSeconds(60), 1), TestOperator.localDrivers(workDir))) {
      String name = "freeze-" + world.namespace();
      List<HasMetadata> freeze = client.load(new ByteArrayInputStream(
          policy(name, world.namespace()).getBytes(StandardCharsets.UTF_8))).items();
      freeze.forEach(o -> client.resource(o).serverSideApply());
      try {
        // The policy takes a moment to be enforced: until then an Agent may slip through, so wait first.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> {
              try {
                client.resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(world.namespace())
                    .resource(probeAgent(world.namespace())).create();
                client.resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(world.namespace())
                    .withName("probe").delete();
                return false;
              } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                return e.getMessage().contains("frozen");
              }
            });
        world.helloWorld("hello", 1, "hi");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
          HelloWorldService s = world.service("hello");
          assertThat(s.getStatus().getMessage()).startsWith("reconcile failed, retrying: ")
              .contains("agents are frozen by PassFailureIT");
          assertThat(s.getStatus().getConditions()).filteredOn(c -> c.getType().equals(ConditionTypes.DEGRADED))
              .singleElement().satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("ReconcileFailed");
              });
        });
      } finally {
        freeze.forEach(o -> client.resource(o).delete());
      }
      // A spec change triggers a new pass (JOSDK's retries may be spent by now).
      client.resources(HelloWorldService.class).inNamespace(world.namespace()).withName("hello")
          .edit(s -> {
            s.getSpec().setAgents(new ScaleRoleSpec(2));
            return s;
          });
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
        HelloWorldService s = world.service("hello");
        assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
        assertThat(s.getStatus().getConditions()).filteredOn(c -> c.getType().equals(ConditionTypes.DEGRADED))
            .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
      });
    }
  }

  private static io.conpaas.api.v1alpha1.Agent probeAgent(String namespace) {
    io.conpaas.api.v1alpha1.Agent a = new io.conpaas.api.v1alpha1.Agent();
    a.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("probe").withNamespace(namespace)
        .build());
    io.conpaas.api.v1alpha1.AgentSpec spec = new io.conpaas.api.v1alpha1.AgentSpec();
    spec.setServiceKind("HelloWorldService");
    spec.setRole("agents");
    spec.setCloud("none");
    a.setSpec(spec);
    return a;
  }
}
