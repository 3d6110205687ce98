package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where an Agent's TLS bootstrap stands: the agent makes its key on its VM and proves a single-use
 * token to get a certificate; only the token's hash is kept, and the key it was spent on.
 */
public class AgentTlsBootstrap {
  @JsonPropertyDescription("SHA-256 of the current VM's single-use bootstrap token (recorded before the VM is "
      + "created; the token itself is only in the VM's contextualization).")
  private String tokenHash;
  @JsonPropertyDescription("When the token stops being accepted (RFC 3339): the VM's creation plus "
      + "agent.healthTimeout.")
  private String expiresAt;
  @JsonPropertyDescription("SHA-256 of the public key the token was spent on (recorded before the certificate "
      + "is issued: another key presenting the same token is refused).")
  private String keySha256;
  @JsonPropertyDescription("Expiry (RFC 3339) of the certificate the agent holds; it is renewed before then.")
  private String certificateNotAfter;

  public AgentTlsBootstrap() {}

  public AgentTlsBootstrap(String tokenHash) {
    this.tokenHash = tokenHash;
  }

  public String getTokenHash() { return tokenHash; }
  public void setTokenHash(String tokenHash) { this.tokenHash = tokenHash; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
  public String getKeySha256() { return keySha256; }
  public void setKeySha256(String keySha256) { this.keySha256 = keySha256; }
  public String getCertificateNotAfter() { return certificateNotAfter; }
  public void setCertificateNotAfter(String certificateNotAfter) { this.certificateNotAfter = certificateNotAfter; }
}
