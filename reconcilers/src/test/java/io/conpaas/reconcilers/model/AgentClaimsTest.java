package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.JavaService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import org.junit.jupiter.api.Test;

class AgentClaimsTest {
  private final JavaService java = javaService("uid-java");

  @Test
  void anAgentOfAnotherServiceIsAConflictNamingItsOwner() {
    assertThat(AgentClaims.conflict(java, agentOwnedBy("PhpService", "uid-php")))
        .hasValueSatisfying(m -> assertThat(m).contains("Agent shop-backend-0 already belongs to PhpService shop")
            .contains("rename this JavaService"));
  }

  @Test
  void theServicesOwnAgentOrNoneIsNotAConflict() {
    assertThat(AgentClaims.conflict(java, agentOwnedBy("JavaService", "uid-java"))).isEmpty();
    assertThat(AgentClaims.conflict(java, null)).isEmpty();
  }

  private static JavaService javaService(String uid) {
    JavaService s = new JavaService();
    s.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("ns").withUid(uid).build());
    return s;
  }

  private static Agent agentOwnedBy(String kind, String uid) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName("shop-backend-0").withNamespace("ns")
        .withOwnerReferences(new OwnerReferenceBuilder().withKind(kind).withName("shop").withUid(uid)
            .withApiVersion("conpaas.io/v1alpha1").withController(true).build()).build());
    return a;
  }
}
