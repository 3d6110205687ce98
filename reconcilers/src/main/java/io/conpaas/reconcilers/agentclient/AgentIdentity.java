package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.MutualTls;
import io.conpaas.api.v1alpha1.Agent;
import java.security.cert.X509Certificate;

/**
 * Who the operator expects to answer at an agent endpoint: the Agent's namespace, name and UID,
 * all three named by the certificate our CA issued it (CN and URI SAN), so an agent of another
 * namespace, or an older Agent of the same name, cannot answer in its place.
 */
public record AgentIdentity(String namespace, String name, String uid) implements PeerPin {
  public static AgentIdentity of(Agent agent) {
    var st = agent.getStatus();
    if (st != null && st.getInstanceId() != null && st.getCaFingerprint() == null) {
      // A VM launched before certificates named namespace and UID (its Agent recorded no CA
      // fingerprint, which launches now record with the instance id): its certificate has the CN
      // only. Pinning more would cut off every agent on upgrade; this weaker pin lasts until the
      // VM is replaced.
      return nameOnly(agent.getMetadata().getName());
    }
    return new AgentIdentity(agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
        agent.getMetadata().getUid());
  }

  /**
   * Only the name (the CN), as before certificates named namespace and UID: for callers that
   * have no Agent object (the operator's agent-call command). Weaker: prefer {@link #of}.
   */
  public static AgentIdentity nameOnly(String name) {
    return new AgentIdentity(null, name, null);
  }

  /** Whether the certificate names exactly this agent. */
  @Override
  public boolean matches(X509Certificate cert) {
    if (!name.equals(MutualTls.commonName(cert))) {
      return false;
    }
    if (namespace == null && uid == null) {
      return true;
    }
    return MutualTls.uris(cert).contains(MutualTls.agentUri(namespace, name, uid));
  }

  @Override
  public String mismatch() {
    return "the agent's certificate does not name " + this + (uid == null ? "" : " (uid " + uid + ")");
  }

  @Override
  public String toString() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
