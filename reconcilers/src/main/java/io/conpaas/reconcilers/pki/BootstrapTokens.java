package io.conpaas.reconcilers.pki;

import io.conpaas.agent.api.BootstrapProof;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Single-use TLS bootstrap tokens, one per VM: 256 bits derived from a secret of the CA and the
 * VM's client token. Derived rather than drawn at random so that a retried create (same client
 * token, after an operator crash) hands the VM the same token whose hash is in status; the operator
 * keeps only that hash, never the token.
 */
public final class BootstrapTokens {
  private final byte[] secret;

  public BootstrapTokens(CertificateAuthority ca) {
    this.secret = ca.derivedSecret("conpaas agent bootstrap tokens v1");
  }

  /** The token for the VM created with clientToken (base64url, 43 characters). */
  public String tokenFor(String clientToken) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(clientToken.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What status records for that VM. */
  public String hashFor(String clientToken) {
    return BootstrapProof.tokenHash(tokenFor(clientToken));
  }

  /**
   * The token every VM of a launch batch boots with. It proves membership of the batch only: each
   * of the batch's Agents records its hash and spends it once, on the key of the one VM bound to it
   * (status.tlsBootstrap.keySha256), so it gets one certificate per VM and no VM gets two. The
   * prefix keeps it apart from per-VM tokens (client tokens never contain '/').
   */
  public String tokenForBatch(String batchToken) {
    return tokenFor("launch-batch/" + batchToken);
  }

  /** What each Agent of the batch records. */
  public String hashForBatch(String batchToken) {
    return BootstrapProof.tokenHash(tokenForBatch(batchToken));
  }
}
