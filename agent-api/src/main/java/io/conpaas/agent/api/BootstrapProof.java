package io.conpaas.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The arithmetic of the TLS bootstrap shared by agent and operator: token hashes and key proofs. */
public final class BootstrapProof {
  private BootstrapProof() {}

  /** HMAC-SHA256 keyed by the token over the public key's bytes (base64): binds the token to one key. */
  public static String proof(String token, String publicKeyBase64) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(Base64.getDecoder().decode(publicKeyBase64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot compute bootstrap proof: " + e.getMessage(), e);
    }
  }

  /** The hex SHA-256 of a token: what the operator keeps instead of the token. */
  public static String tokenHash(String token) {
    return sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The hex SHA-256 of a public key (base64 DER), its fingerprint in status; "invalid" when not base64. */
  public static String fingerprint(String publicKeyBase64) {
    try {
      return sha256(Base64.getDecoder().decode(publicKeyBase64 == null ? "" : publicKeyBase64));
    } catch (IllegalArgumentException e) {
      return "invalid";
    }
  }

  /** The hex SHA-256 of raw bytes. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of two strings (proofs, hashes). */
  public static boolean same(String a, String b) {
    return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
