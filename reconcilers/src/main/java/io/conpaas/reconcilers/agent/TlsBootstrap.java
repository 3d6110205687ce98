package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.agent.api.BootstrapProof;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.TlsBootstrapClient;
import io.conpaas.reconcilers.model.BootstrapVerdict;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The TLS bootstrap of a new VM's agent (kubelet-style): read its claim, judge it
 * ({@link BootstrapVerdict}), record the key the token is spent on (a status patch, before anything
 * is issued), then issue the certificate for that key and install it on the agent. The private key
 * never leaves the VM; the operator keeps the token's hash and the key's fingerprint only.
 */
public final class TlsBootstrap {
  /** How long an agent's certificate lasts; it is renewed when a third of that is left. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);

  private final TlsBootstrapClient client;
  private final CertificateAuthority ca;
  private final Duration validity;

  public TlsBootstrap(TlsBootstrapClient client, CertificateAuthority ca, Duration validity) {
    this.client = client;
    this.ca = ca;
    this.validity = validity;
  }

  /** Where a step left the bootstrap. */
  enum Step {
    /** The agent does not answer (yet): wait, within the boot timeout. */
    WAITING,
    /** The key was recorded in the Agent's status: patch it, then come back to issue. */
    SPENT,
    /** The agent holds its certificate (recorded in status): go on as with any agent. */
    ISSUED,
    /** The claim can never earn a certificate (the message says why). */
    REFUSED,
    /** The agent's certificate has more than a third of its life left. */
    NOT_DUE,
    /** A new certificate for the agent's key is installed (recorded in status). */
    RENEWED
  }

  /** A step and what it means for status or events. */
  record Result(Step step, String message) {}

  /** Whether the Agent's current VM still needs its certificate. */
  static boolean pending(Agent agent) {
    AgentTlsBootstrap b = agent.getStatus().getTlsBootstrap();
    return b != null && b.getCertificateNotAfter() == null;
  }

  /** One step for the agent at endpoint; updates the Agent's status object (the caller patches it). */
  Result advance(Agent agent, String endpoint, Instant now) {
    String name = agent.getMetadata().getName();
    AgentTlsBootstrap recorded = agent.getStatus().getTlsBootstrap();
    TlsBootstrapClient.SeenClaim seen;
    try {
      seen = client.claim(endpoint, name);
    } catch (AgentCallException e) {
      return new Result(Step.WAITING, e.getMessage());
    }
    BootstrapVerdict.Outcome outcome = BootstrapVerdict.judge(recorded, seen.claim(), seen.presentedKey(), now);
    switch (outcome.action()) {
      case REFUSE:
        return new Result(Step.REFUSED, outcome.reason());
      case SPEND:
        recorded.setKeySha256(outcome.keySha256());
        return new Result(Step.SPENT, "bootstrap token spent on the agent's key; issuing its certificate");
      default:
        break;
    }
    return certify(agent, endpoint, seen.claim().publicKey(), Step.ISSUED);
  }

  /**
   * Renews the certificate of an agent that has one when a third of its life is left (also once
   * it has expired: these calls pin the key recorded at bootstrap, not the certificate), without
   * restarting the agent: it presents the new certificate from its next handshake on.
   */
  Result renewIfDue(Agent agent, String endpoint, Instant now) {
    AgentTlsBootstrap recorded = agent.getStatus().getTlsBootstrap();
    if (recorded == null || recorded.getKeySha256() == null || recorded.getCertificateNotAfter() == null
        || now.isBefore(Instant.parse(recorded.getCertificateNotAfter()).minus(validity.dividedBy(3)))) {
      return new Result(Step.NOT_DUE, null);
    }
    TlsBootstrapClient.SeenClaim seen;
    try {
      seen = client.claim(endpoint, agent.getMetadata().getName());
    } catch (AgentCallException e) {
      return new Result(Step.WAITING, e.getMessage());
    }
    if (seen.presentedKey() == null || !seen.presentedKey().equals(seen.claim().publicKey())
        || !recorded.getKeySha256().equals(BootstrapProof.fingerprint(seen.presentedKey()))) {
      return new Result(Step.REFUSED, "the agent at " + endpoint + " presents another key than the one its "
          + "certificate was issued for; not renewed");
    }
    return certify(agent, endpoint, seen.presentedKey(), Step.RENEWED);
  }

  /** Issues a certificate for publicKey, installs it on the agent and records its expiry. */
  private Result certify(Agent agent, String endpoint, String publicKey, Step done) {
    PublicKey key = publicKey(publicKey);
    if (key == null) {
      return new Result(Step.REFUSED, "the agent's key is not an EC key");
    }
    String name = agent.getMetadata().getName();
    String pem = ca.issueAgentFor(agent.getMetadata().getNamespace(), name, agent.getMetadata().getUid(),
        List.of("127.0.0.1"), key, validity);
    try {
      client.install(endpoint, name, publicKey, pem);
      agent.getStatus().getTlsBootstrap()
          .setCertificateNotAfter(MutualTls.certificate(pem).getNotAfter().toInstant().toString());
    } catch (AgentCallException e) {
      return new Result(Step.WAITING, e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA issued an unreadable certificate", e);
    }
    return new Result(done, done == Step.ISSUED ? "certificate installed" : "certificate renewed");
  }

  /** The EC key (our CA signs EC P-256 keys only), or null. */
  private static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
