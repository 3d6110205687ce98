package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.BootstrapTokens;
import java.io.UncheckedIOException;

/**
 * Builds the contextualization document an Agent's VM boots with: the CA to trust and the VM's
 * single-use bootstrap token, no key (the agent makes its own; see {@link TlsBootstrap}).
 */
public final class AgentContextFactory {
  private final CertificateAuthority ca;
  private final BootstrapTokens tokens;

  public AgentContextFactory(CertificateAuthority ca) {
    this.ca = ca;
    this.tokens = new BootstrapTokens(ca);
  }

  /** What status records for the VM created with clientToken (its token's hash). */
  public String tokenHashFor(String clientToken) {
    return tokens.hashFor(clientToken);
  }

  /** What each Agent of a launch batch records (the batch token's hash). */
  public String batchTokenHashFor(String batchToken) {
    return tokens.hashForBatch(batchToken);
  }

  /** The document for the Agent's current VM (its status holds the VM's client token). */
  public byte[] contextFor(Agent agent) {
    return write(new AgentContext(agent.getMetadata().getName(), agent.getMetadata().getNamespace(),
        agent.getMetadata().getLabels().get(ApiConstants.LABEL_SERVICE), agent.getSpec().getServiceKind(),
        agent.getSpec().getRole(), AgentContext.DEFAULT_PORT, null, null, ca.certificatePem(),
        agent.getSpec().getConfig(), tokens.tokenFor(agent.getStatus().getClientToken())));
  }

  /**
   * The one document of a launch batch, from any of its Agents (they share service, role and
   * config): no Agent's name, since which VM serves which Agent is decided after launch; the
   * certificate issued at bootstrap names the Agent.
   */
  public byte[] batchContextFor(Agent member, String batchToken) {
    String service = member.getMetadata().getLabels().get(ApiConstants.LABEL_SERVICE);
    String label = (service == null ? "agent" : service) + "-" + member.getSpec().getRole() + "-batch-"
        + batchToken.substring(Math.max(0, batchToken.length() - 8));
    return write(new AgentContext(label, member.getMetadata().getNamespace(), service,
        member.getSpec().getServiceKind(), member.getSpec().getRole(), AgentContext.DEFAULT_PORT, null, null,
        ca.certificatePem(), member.getSpec().getConfig(), tokens.tokenForBatch(batchToken)));
  }

  private static byte[] write(AgentContext ctx) {
    try {
      return AgentJson.mapper().writeValueAsBytes(ctx);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
