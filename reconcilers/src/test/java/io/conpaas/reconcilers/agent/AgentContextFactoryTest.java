package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.BootstrapProof;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Agent's VM boots with a single-use token and no key; the certificate later issued for the
 * agent's own key names the Agent's namespace and UID, which the operator pins.
 */
class AgentContextFactoryTest {
  private static final CertificateAuthority CA = CertificateAuthority.generate("ca");

  private static Agent agent(String clientToken) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("site-backend-0").withUid("uid-1")
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, "site")).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("backend");
    spec.setServiceKind("PhpService");
    agent.setSpec(spec);
    AgentStatus status = new AgentStatus();
    status.setClientToken(clientToken);
    agent.setStatus(status);
    return agent;
  }

  @Test
  void theContextHoldsTheVmsTokenWhoseHashStatusKeepsAndNoKey() throws Exception {
    AgentContextFactory factory = new AgentContextFactory(CA);
    byte[] document = factory.contextFor(agent("uid-1-1"));
    AgentContext ctx = AgentJson.mapper().readValue(document, AgentContext.class);

    assertThat(new String(document, StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY");
    assertThat(ctx.bootstraps()).isTrue();
    assertThat(ctx.bootstrapToken()).hasSize(43);
    assertThat(BootstrapProof.tokenHash(ctx.bootstrapToken())).isEqualTo(factory.tokenHashFor("uid-1-1"));
    // The same VM (a retried create) gets the same token; the next VM another one.
    assertThat(AgentJson.mapper().readValue(factory.contextFor(agent("uid-1-1")), AgentContext.class)
        .bootstrapToken()).isEqualTo(ctx.bootstrapToken());
    assertThat(factory.tokenHashFor("uid-1-2")).isNotEqualTo(factory.tokenHashFor("uid-1-1"));
    assertThat(new AgentContextFactory(CertificateAuthority.generate("another ca")).tokenHashFor("uid-1-1"))
        .isNotEqualTo(factory.tokenHashFor("uid-1-1"));
  }

  @Test
  void theCertificateForTheAgentsOwnKeyNamesNamespaceNameAndUid() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    var key = g.generateKeyPair().getPublic();

    X509Certificate cert = MutualTls.certificate(CA.issueAgentFor("team-a", "site-backend-0", "uid-1",
        List.of("127.0.0.1"), key, java.time.Duration.ofDays(1)));

    assertThat(cert.getPublicKey()).isEqualTo(key);
    assertThat(MutualTls.uris(cert)).containsExactly("spiffe://conpaas/ns/team-a/agent/site-backend-0/uid-1");
    assertThat(AgentIdentity.of(agent("uid-1-1")).matches(cert)).isTrue();
    assertThat(new AgentIdentity("team-b", "site-backend-0", "uid-2").matches(cert)).isFalse();
  }
}
