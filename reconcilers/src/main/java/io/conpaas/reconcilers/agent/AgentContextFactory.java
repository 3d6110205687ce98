package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds the contextualization document an Agent's VM boots with, with a fresh certificate. */
public final class AgentContextFactory {
  private final CertificateAuthority ca;

  public AgentContextFactory(CertificateAuthority ca) {
    this.ca = ca;
  }

  public byte[] contextFor(Agent agent) {
    String name = agent.getMetadata().getName();
    // The certificate names the Agent's namespace and UID: the operator pins both when it calls.
    IssuedCertificate cert = ca.issueAgent(agent.getMetadata().getNamespace(), name, agent.getMetadata().getUid(),
        List.of("127.0.0.1"));
    AgentContext ctx = new AgentContext(name, agent.getMetadata().getNamespace(),
        agent.getMetadata().getLabels().get(ApiConstants.LABEL_SERVICE), agent.getSpec().getServiceKind(),
        agent.getSpec().getRole(), AgentContext.DEFAULT_PORT, cert.certificatePem(), cert.privateKeyPem(),
        ca.certificatePem(), agent.getSpec().getConfig());
    try {
      return AgentJson.mapper().writeValueAsBytes(ctx);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
