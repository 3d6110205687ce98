package io.conpaas.iaas.ec2;

import io.conpaas.iaas.CloudException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a contextualization document into EC2 user data and back.
 *
 * <p>User data is the base64 of the document; a document larger than {@link #GZIP_THRESHOLD}
 * bytes is gzipped first. A reader tells the two apart by the gzip magic bytes {@code 1f 8b}
 * at the start of the base64-decoded data (cloud-init recognises them too and unpacks gzip
 * user data by itself). A document that itself starts with those bytes is always gzipped, so
 * the rule never misreads one. The encoded user data may be at most {@link #MAX_USER_DATA}
 * characters of base64.
 */
public final class UserDataCodec {
  /** Above this many raw bytes, the base64 would no longer fit in {@link #MAX_USER_DATA}. */
  public static final int GZIP_THRESHOLD = 12 * 1024;
  /** EC2's 16 KB user data limit, applied to the base64 text. */
  public static final int MAX_USER_DATA = 16 * 1024;
  /** Decoding refuses to inflate more than this: user data is small, a bomb is not. */
  static final int MAX_DECODED = 1024 * 1024;

  private UserDataCodec() {}

  /** The base64 user data for the document, null for none; CloudException UserDataTooLarge if it cannot fit. */
  public static String encode(byte[] contextualization) {
    if (contextualization == null || contextualization.length == 0) {
      return null;
    }
    boolean compress = contextualization.length > GZIP_THRESHOLD || isGzip(contextualization);
    byte[] payload = compress ? gzip(contextualization) : contextualization;
    String userData = Base64.getEncoder().encodeToString(payload);
    if (userData.length() > MAX_USER_DATA) {
      throw new CloudException("UserDataTooLarge", "the contextualization is " + contextualization.length
          + " bytes, " + userData.length() + " bytes of user data after gzip and base64; EC2 takes at most "
          + MAX_USER_DATA, false);
    }
    return userData;
  }

  /** The document back from base64 user data, inflated when it was gzipped. */
  public static byte[] decode(String userData) {
    if (userData == null || userData.isEmpty()) {
      return new byte[0];
    }
    byte[] payload = Base64.getMimeDecoder().decode(userData);
    return isGzip(payload) ? gunzip(payload) : payload;
  }

  /** Whether the data starts with the gzip magic bytes. */
  public static boolean isGzip(byte[] data) {
    return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] data) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] inflated = in.readNBytes(MAX_DECODED + 1);
      if (inflated.length > MAX_DECODED) {
        throw new IllegalArgumentException("user data inflates to more than " + MAX_DECODED + " bytes");
      }
      return inflated;
    } catch (IOException e) {
      throw new IllegalArgumentException("user data is not valid gzip: " + e.getMessage(), e);
    }
  }
}
