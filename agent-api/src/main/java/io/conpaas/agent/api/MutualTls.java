package io.conpaas.agent.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds TLS contexts from PEM text with the JDK alone, so the agent needs no crypto library:
 * our own certificate and key, and trust in exactly one CA (the operator's).
 */
public final class MutualTls {
  private static final char[] NO_PASSWORD = new char[0];

  private MutualTls() {}

  /** An SSLContext presenting certificatePem/privateKeyPem and trusting only caPem. */
  public static SSLContext context(String certificatePem, String privateKeyPem, String caPem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", certificate(caPem));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);

      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(keyManagers(certificatePem, privateKeyPem), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("invalid TLS material: " + e.getMessage(), e);
    }
  }

  /** Key managers presenting certificatePem with privateKeyPem. */
  public static javax.net.ssl.KeyManager[] keyManagers(String certificatePem, String privateKeyPem) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("self", privateKey(privateKeyPem), NO_PASSWORD,
          new X509Certificate[] {certificate(certificatePem)});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      return kmf.getKeyManagers();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("invalid TLS material: " + e.getMessage(), e);
    }
  }

  /** Parses one PEM certificate. */
  public static X509Certificate certificate(String pem) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Parses a PKCS#8 PEM private key (EC or RSA). */
  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    } catch (GeneralSecurityException notEc) {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    }
  }

  /**
   * The URI subject alternative name that names one Agent: its namespace, name and UID (a
   * same-named Agent in another namespace, or a later Agent of the same name, has another).
   */
  public static String agentUri(String namespace, String name, String uid) {
    return "spiffe://conpaas/ns/" + namespace + "/agent/" + name + "/" + uid;
  }

  /** The URI subject alternative names of a certificate (empty when it has none or they cannot be read). */
  public static java.util.List<String> uris(X509Certificate cert) {
    java.util.List<String> out = new java.util.ArrayList<>();
    try {
      java.util.Collection<java.util.List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (java.util.List<?> n : names) {
          // 6 = uniformResourceIdentifier (RFC 5280 GeneralName).
          if (n.size() >= 2 && Integer.valueOf(6).equals(n.get(0)) && n.get(1) instanceof String uri) {
            out.add(uri);
          }
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return java.util.List.of();
    }
    return out;
  }

  /** The CN of a certificate's subject, or "" when it has none. */
  public static String commonName(X509Certificate cert) {
    for (String part : cert.getSubjectX500Principal().getName().split(",")) {
      String p = part.trim();
      if (p.startsWith("CN=")) {
        return p.substring(3);
      }
    }
    return "";
  }
}
