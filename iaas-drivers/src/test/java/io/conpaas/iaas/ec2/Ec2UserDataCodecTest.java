package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** UserDataCodec: base64, gzip above the threshold, the 16 KB limit, and back. */
class Ec2UserDataCodecTest {
  private static byte[] json(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'a');
    body[0] = '{';
    body[size - 1] = '}';
    return body;
  }

  private static byte[] raw(String userData) {
    return Base64.getDecoder().decode(userData);
  }

  @Test
  void smallDocumentIsPlainBase64() {
    byte[] doc = "{\"agentName\":\"a-0\"}".getBytes(StandardCharsets.UTF_8);

    String userData = UserDataCodec.encode(doc);

    assertThat(raw(userData)).isEqualTo(doc);
    assertThat(UserDataCodec.decode(userData)).isEqualTo(doc);
  }

  @Test
  void documentAtTheThresholdStaysPlainAndFitsExactly() {
    byte[] doc = json(UserDataCodec.GZIP_THRESHOLD);

    String userData = UserDataCodec.encode(doc);

    assertThat(raw(userData)).isEqualTo(doc);
    assertThat(userData).hasSize(UserDataCodec.MAX_USER_DATA);
  }

  @Test
  void documentAboveTheThresholdIsGzipped() {
    byte[] doc = json(UserDataCodec.GZIP_THRESHOLD + 1);

    String userData = UserDataCodec.encode(doc);

    assertThat(UserDataCodec.isGzip(raw(userData))).isTrue();
    assertThat(userData.length()).isLessThan(1000);
    assertThat(UserDataCodec.decode(userData)).isEqualTo(doc);
  }

  @Test
  void documentThatLooksGzippedIsGzippedAgainSoItReadsBackUnchanged() {
    byte[] doc = {0x1f, (byte) 0x8b, 'n', 'o', 't', ' ', 'g', 'z', 'i', 'p'};

    String userData = UserDataCodec.encode(doc);

    assertThat(UserDataCodec.decode(userData)).isEqualTo(doc);
  }

  @Test
  void incompressibleLargeDocumentIsRefused() {
    byte[] noise = new byte[14_000];
    new Random(1).nextBytes(noise);

    assertThatThrownBy(() -> UserDataCodec.encode(noise)).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("UserDataTooLarge");
      assertThat(e.retryable()).isFalse();
    });
  }

  @Test
  void noDocumentIsNoUserData() {
    assertThat(UserDataCodec.encode(null)).isNull();
    assertThat(UserDataCodec.encode(new byte[0])).isNull();
    assertThat(UserDataCodec.decode(null)).isEmpty();
  }

  @Test
  void decodeRefusesAGzipBomb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[UserDataCodec.MAX_DECODED + 1]);
    }
    String bomb = Base64.getEncoder().encodeToString(out.toByteArray());

    assertThatThrownBy(() -> UserDataCodec.decode(bomb)).isInstanceOf(IllegalArgumentException.class);
  }
}
