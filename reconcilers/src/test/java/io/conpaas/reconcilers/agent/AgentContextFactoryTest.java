package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The certificate an Agent's VM boots with names the Agent's namespace and UID, which the operator pins. */
class AgentContextFactoryTest {
  @Test
  void theAgentCertificateNamesNamespaceNameAndUid() throws Exception {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("site-backend-0").withUid("uid-1")
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, "site")).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("backend");
    spec.setServiceKind("PhpService");
    agent.setSpec(spec);

    AgentContext ctx = AgentJson.mapper().readValue(
        new AgentContextFactory(CertificateAuthority.generate("ca")).contextFor(agent), AgentContext.class);
    X509Certificate cert = MutualTls.certificate(ctx.certificatePem());

    assertThat(MutualTls.uris(cert)).containsExactly("spiffe://conpaas/ns/team-a/agent/site-backend-0/uid-1");
    assertThat(AgentIdentity.of(agent).matches(cert)).isTrue();
    assertThat(new AgentIdentity("team-b", "site-backend-0", "uid-2").matches(cert)).isFalse();
  }
}
