package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** CodeUploadReceiver.tokenMatches: the upload token against the request's tokenSha256. */
class CodeUploadReceiverTest {
  private static final String TOKEN = "3f2a-right-token";

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theRightTokenMatches() throws Exception {
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN, sha256(TOKEN))).isTrue();
    // Surrounding whitespace of a header value does not count.
    assertThat(CodeUploadReceiver.tokenMatches(" " + TOKEN + "\n", sha256(TOKEN))).isTrue();
  }

  @Test
  void aWrongTokenDoesNotMatch() throws Exception {
    String expected = sha256(TOKEN);

    assertThat(CodeUploadReceiver.tokenMatches("wrong-token", expected)).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN + "x", expected)).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN.toUpperCase(), expected)).isFalse();
    // The hash itself is not a token.
    assertThat(CodeUploadReceiver.tokenMatches(expected, expected)).isFalse();
    // A hash spelled differently (upper case) is not what the request carries.
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN, expected.toUpperCase())).isFalse();
  }

  @Test
  void missingOrBlankTokensAndMissingHashesNeverMatch() throws Exception {
    assertThat(CodeUploadReceiver.tokenMatches(null, sha256(TOKEN))).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches("", sha256(""))).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches("   ", sha256("   "))).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN, null)).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches(TOKEN, "")).isFalse();
    assertThat(CodeUploadReceiver.tokenMatches(null, null)).isFalse();
  }
}
