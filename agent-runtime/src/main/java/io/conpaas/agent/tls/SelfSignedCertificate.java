package io.conpaas.agent.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A minimal self-signed X.509 v1 certificate for an EC key, DER-encoded by hand: the JDK has no
 * public API to create certificates and the agent carries no crypto library. It only lets the agent
 * speak TLS until the operator's CA signs its key; nothing ever trusts it.
 */
public final class SelfSignedCertificate {
  /** ecdsa-with-SHA256 (1.2.840.10045.4.3.2). */
  private static final byte[] ECDSA_SHA256 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
  /** commonName (2.5.4.3). */
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSignedCertificate() {}

  /** A certificate for pair (an EC key) named CN=commonName, valid from notBefore to notAfter (before 2050). */
  public static X509Certificate of(KeyPair pair, String commonName, Instant notBefore, Instant notAfter) {
    try {
      byte[] serial = new byte[8];
      RANDOM.nextBytes(serial);
      serial[0] &= 0x7F;
      byte[] algorithm = tlv(0x30, ECDSA_SHA256);
      byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, COMMON_NAME,
          tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
      byte[] validity = tlv(0x30, utcTime(notBefore), utcTime(notAfter));
      byte[] tbs = tlv(0x30, tlv(0x02, serial), algorithm, name, validity, name, pair.getPublic().getEncoded());
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      byte[] der = tlv(0x30, tbs, algorithm, tlv(0x03, bits));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] utcTime(Instant t) {
    return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
  }

  /** One DER tag-length-value whose value is the concatenation of parts. */
  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      value.writeBytes(p);
    }
    int n = value.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xFF);
    }
    out.writeBytes(value.toByteArray());
    return out.toByteArray();
  }
}
