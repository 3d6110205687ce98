package io.conpaas.plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one-time secret of an upload: 32 random bytes in hex. Only its SHA-256 goes into the
 * CodeUpload object; the token itself travels once, with the archive.
 */
public final class UploadToken {
  private static final int BYTES = 32;

  private UploadToken() {}

  /** A new token: 32 bytes from {@code random}, as 64 lower-case hex digits. */
  public static String generate(SecureRandom random) {
    byte[] b = new byte[BYTES];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The hex SHA-256 of the token string's UTF-8 bytes, as spec.tokenSha256 carries it. */
  public static String sha256(String token) {
    return HexFormat.of().formatHex(digest().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** A new SHA-256 digest (every JVM has one). */
  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
