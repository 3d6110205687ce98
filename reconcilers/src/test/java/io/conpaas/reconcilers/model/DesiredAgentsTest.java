package io.conpaas.reconcilers.model;

import static io.conpaas.reconcilers.model.TestObjects.helloWorld;
import static io.conpaas.reconcilers.model.TestObjects.twoRoles;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DesiredAgents: one named, labelled, owned Agent per node of each role. */
class DesiredAgentsTest {

  @Test
  void namesAgentsServiceRoleIndexInRoleOrder() {
    List<Agent> agents = DesiredAgents.of(twoRoles("wp", 1, 2), Map.of(), Map.of());

    assertThat(agents).extracting(a -> a.getMetadata().getName())
        .containsExactly("wp-proxy-0", "wp-backend-0", "wp-backend-1");
    assertThat(agents).extracting(a -> a.getMetadata().getNamespace()).containsOnly(TestObjects.NS);
  }

  @Test
  void labelsEachAgentWithApplicationServiceRoleKindAndIndex() {
    Agent second = DesiredAgents.of(helloWorld("hello", 2), Map.of(), Map.of()).get(1);

    assertThat(second.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "conpaas.io/application", "shop-app",
        "conpaas.io/service", "hello",
        "conpaas.io/role", "agents",
        "conpaas.io/service-kind", "HelloWorldService",
        "conpaas.io/index", "1"));
    assertThat(AgentNames.index(second)).isEqualTo(1);
  }

  @Test
  void isControlledByTheService() {
    Agent agent = DesiredAgents.of(helloWorld("hello", 1), Map.of(), Map.of()).get(0);

    assertThat(agent.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference o) -> {
      assertThat(o.getApiVersion()).isEqualTo("conpaas.io/v1alpha1");
      assertThat(o.getKind()).isEqualTo("HelloWorldService");
      assertThat(o.getName()).isEqualTo("hello");
      assertThat(o.getUid()).isEqualTo("uid-hello");
      assertThat(o.getController()).isTrue();
    });
  }

  @Test
  void takesCloudInstanceTypeAndConfigOfItsRole() {
    TestObjects.TwoRoleService service = twoRoles("wp", 1, 1);
    service.getSpec().backend.setInstanceType("m5.large");

    List<Agent> agents = DesiredAgents.of(service, Map.of("proxy", "edge", "backend", "ec2-eu"),
        Map.of("proxy", Map.of("backends", "a,b"), "backend", Map.of("php.memory", "256M")));

    Agent proxy = agents.get(0);
    Agent backend = agents.get(1);
    assertThat(proxy.getSpec().getRole()).isEqualTo("proxy");
    assertThat(proxy.getSpec().getCloud()).isEqualTo("edge");
    assertThat(proxy.getSpec().getInstanceType()).isNull();
    assertThat(proxy.getSpec().getConfig()).containsExactlyEntriesOf(Map.of("backends", "a,b"));
    assertThat(backend.getSpec().getRole()).isEqualTo("backend");
    assertThat(backend.getSpec().getCloud()).isEqualTo("ec2-eu");
    assertThat(backend.getSpec().getInstanceType()).isEqualTo("m5.large");
    assertThat(backend.getSpec().getConfig()).containsExactlyEntriesOf(Map.of("php.memory", "256M"));
    assertThat(agents).extracting(a -> a.getSpec().getServiceKind()).containsOnly("TwoRoleService");
  }

  @Test
  void roleWithoutConfigGetsAnEmptyConfig() {
    Agent agent = DesiredAgents.of(helloWorld("hello", 1), Map.of("agents", "local"), Map.of()).get(0);

    assertThat(agent.getSpec().getConfig()).isEmpty();
  }

  @Test
  void stoppedServiceWantsNoAgents() {
    HelloWorldService service = helloWorld("hello", 3);
    service.getSpec().setStopped(true);

    assertThat(DesiredAgents.of(service, Map.of("agents", "local"), Map.of())).isEmpty();
  }

  @Test
  void missingRoleBlockOrNodeCountMeansNoAgents() {
    assertThat(DesiredAgents.of(helloWorld("hello", null), Map.of(), Map.of())).isEmpty();
    assertThat(DesiredAgents.nodes(new ScaleRoleSpec())).isZero();
    assertThat(DesiredAgents.of(twoRoles("wp", 0, 2), Map.of(), Map.of()))
        .extracting(a -> a.getSpec().getRole()).containsExactly("backend", "backend");
  }
}
