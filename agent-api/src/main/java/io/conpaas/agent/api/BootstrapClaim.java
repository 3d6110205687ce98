package io.conpaas.agent.api;

/**
 * What an agent without a certificate tells the operator (GET {@link AgentPaths#BOOTSTRAP}): its
 * public key (base64 of the X.509 SubjectPublicKeyInfo), the bootstrap token from its context and
 * {@link BootstrapProof#proof} of the two, so a token cannot be moved to another key unnoticed.
 */
public record BootstrapClaim(String publicKey, String token, String proof) {
  @Override
  public String toString() {
    // The token is a credential until used: never in a log line.
    return "BootstrapClaim[publicKey=" + BootstrapProof.fingerprint(publicKey) + "]";
  }

  /** PUT body of {@link AgentPaths#BOOTSTRAP}: the certificate issued for the claimed key. */
  public record Certificate(String certificatePem) {}
}
