package io.conpaas.reconcilers.model;

import io.conpaas.agent.api.BootstrapClaim;
import io.conpaas.agent.api.BootstrapProof;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import java.time.Instant;

/**
 * Whether an agent's bootstrap claim earns a certificate (pure). The claim must name the key the
 * agent's TLS presented, carry this VM's token (by hash) with a proof over that key, and the token
 * must be unspent and unexpired, or spent on that same key (a retry after the operator recorded the
 * key but before the agent got its certificate).
 */
public final class BootstrapVerdict {
  /** What to do with a claim. */
  public enum Action {
    /** Record keySha256 (the token is spent on it) before anything is issued. */
    SPEND,
    /** The token was spent on this key: issue its certificate. */
    ISSUE,
    /** No certificate, ever, for this claim. */
    REFUSE
  }

  /** An action, the key's fingerprint, and for REFUSE the reason. */
  public record Outcome(Action action, String keySha256, String reason) {
    static Outcome refuse(String reason) {
      return new Outcome(Action.REFUSE, null, reason);
    }
  }

  private BootstrapVerdict() {}

  /** The verdict on claim, whose TLS connection presented presentedKey (base64 X.509), at now. */
  public static Outcome judge(AgentTlsBootstrap recorded, BootstrapClaim claim, String presentedKey, Instant now) {
    if (recorded == null || recorded.getTokenHash() == null) {
      return Outcome.refuse("no bootstrap token is recorded for this VM");
    }
    if (claim == null || claim.publicKey() == null || !claim.publicKey().equals(presentedKey)) {
      return Outcome.refuse("the claimed key is not the key the agent's TLS connection presented");
    }
    if (claim.token() == null || !BootstrapProof.same(BootstrapProof.tokenHash(claim.token()),
        recorded.getTokenHash())) {
      return Outcome.refuse("the bootstrap token is not this VM's");
    }
    if (!BootstrapProof.same(claim.proof(), BootstrapProof.proof(claim.token(), claim.publicKey()))) {
      return Outcome.refuse("the proof does not bind the token to the claimed key");
    }
    String fingerprint = BootstrapProof.fingerprint(claim.publicKey());
    if (recorded.getKeySha256() != null) {
      return recorded.getKeySha256().equals(fingerprint) ? new Outcome(Action.ISSUE, fingerprint, null)
          : Outcome.refuse("the bootstrap token was already used for another key");
    }
    if (recorded.getExpiresAt() != null && now.isAfter(Instant.parse(recorded.getExpiresAt()))) {
      return Outcome.refuse("the bootstrap token expired at " + recorded.getExpiresAt());
    }
    return new Outcome(Action.SPEND, fingerprint, null);
  }
}
