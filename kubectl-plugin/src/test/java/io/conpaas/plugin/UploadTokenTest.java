package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The upload token: 32 random bytes in hex, and the hash the CodeUpload carries instead of it. */
class UploadTokenTest {
  @Test
  void aTokenIs32RandomBytesInLowerCaseHexAndNeverRepeats() {
    SecureRandom random = new SecureRandom();
    String a = UploadToken.generate(random);
    String b = UploadToken.generate(random);

    assertThat(a).matches("[0-9a-f]{64}");
    assertThat(b).matches("[0-9a-f]{64}").isNotEqualTo(a);
  }

  @Test
  void theHashIsTheSha256OfTheTokenStringsUtf8BytesInHex() throws Exception {
    // FIPS 180-2 test vector.
    assertThat(UploadToken.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    String token = UploadToken.generate(new SecureRandom());
    String expected = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    assertThat(UploadToken.sha256(token)).isEqualTo(expected).matches("[0-9a-f]{64}").isNotEqualTo(token);
  }
}
