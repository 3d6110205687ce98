package io.conpaas.reconcilers.pki;

import io.conpaas.agent.api.MutualTls;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The operator's private CA (EC P-256): it signs each agent's server certificate and the
 * operator's client certificate, so agents and operator trust exactly each other.
 */
public final class CertificateAuthority {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new self-signed CA. */
  public static CertificateAuthority generate(String commonName) {
    KeyPair pair = newKeyPair();
    try {
      X500Name name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create CA", e);
    }
  }

  /** The CA stored earlier (PEM certificate and PKCS#8 key). */
  public static CertificateAuthority fromPem(String certificatePem, String keyPem) {
    try {
      return new CertificateAuthority(MutualTls.certificate(certificatePem), MutualTls.privateKey(keyPem));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("stored CA is not valid PEM: " + e.getMessage(), e);
    }
  }

  public String certificatePem() { return pem(certificate); }

  public String privateKeyPem() { return pemKey(key); }

  /** A server certificate for an agent: CN and DNS name are the agent's name. */
  public IssuedCertificate issueServer(String agentName, List<String> ipAddresses) {
    return issue(agentName, KeyPurposeId.id_kp_serverAuth, agentName, ipAddresses, null);
  }

  /**
   * A server certificate for one Agent object: CN and DNS name are its name, and a URI SAN
   * ({@link MutualTls#agentUri}) names its namespace and UID, which the operator pins when it
   * calls the agent (so an agent of another namespace with the same name cannot answer for it).
   */
  public IssuedCertificate issueAgent(String namespace, String agentName, String uid, List<String> ipAddresses) {
    return issue(agentName, KeyPurposeId.id_kp_serverAuth, agentName, ipAddresses,
        MutualTls.agentUri(namespace, agentName, uid));
  }

  /**
   * The same certificate as {@link #issueAgent} for a key the agent made itself (TLS bootstrap):
   * only the certificate comes back; the private key never left the agent's VM.
   */
  public String issueAgentFor(String namespace, String agentName, String uid, List<String> ipAddresses,
      PublicKey publicKey, Duration validity) {
    return pem(certify(agentName, KeyPurposeId.id_kp_serverAuth, agentName, ipAddresses,
        MutualTls.agentUri(namespace, agentName, uid), publicKey, validity));
  }

  /**
   * A secret derived from the CA's key for one purpose (HMAC-SHA256 of the purpose): lets the
   * operator recompute per-VM secrets (bootstrap tokens) from what it stores anyway.
   */
  public byte[] derivedSecret(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client certificate with the given CN (the operator's identity towards agents). */
  public IssuedCertificate issueClient(String commonName) {
    return issue(commonName, KeyPurposeId.id_kp_clientAuth, null, List.of(), null);
  }

  private IssuedCertificate issue(String cn, KeyPurposeId purpose, String dnsName, List<String> ips, String uri) {
    KeyPair pair = newKeyPair();
    return new IssuedCertificate(pem(certify(cn, purpose, dnsName, ips, uri, pair.getPublic(), LEAF_VALIDITY)),
        pemKey(pair.getPrivate()));
  }

  private X509Certificate certify(String cn, KeyPurposeId purpose, String dnsName, List<String> ips, String uri,
      PublicKey subjectKey, Duration validity) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
          new X500Name("CN=" + cn), subjectKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (dnsName != null) {
        List<GeneralName> names = new java.util.ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, dnsName));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        if (uri != null) {
          names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return sign(b, key);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue certificate for " + cn, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String pemKey(PrivateKey k) {
    try {
      return pem(new JcaPKCS8Generator(k, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
