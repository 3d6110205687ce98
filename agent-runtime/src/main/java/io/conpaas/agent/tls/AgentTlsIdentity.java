package io.conpaas.agent.tls;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.process.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The agent's TLS identity: one key pair for the agent's life (made on the VM, or given by an older
 * operator's context) and the certificate currently presented for it, which the operator may
 * replace (bootstrap, renewal) without a restart: new handshakes present the new certificate.
 */
public final class AgentTlsIdentity {
  private static final String ALIAS = "agent";

  private static final String KEY_FILE = "agent-key.pem";
  private static final String CERT_FILE = "agent-cert.pem";

  private final PrivateKey key;
  private final PublicKey publicKey;
  private final X509Certificate ca;
  private final Path stateDir;
  private volatile X509Certificate[] chain;

  private AgentTlsIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca, Path stateDir) {
    this.key = key;
    this.publicKey = certificate.getPublicKey();
    this.ca = ca;
    this.stateDir = stateDir;
    this.chain = new X509Certificate[] {certificate};
  }

  /**
   * The identity the context describes: the context's own certificate and key (older operators),
   * else the key kept in stateDir (an agent restarted on its VM keeps its key and certificate, as
   * its spent token cannot buy another), else a new key with a placeholder certificate, kept there.
   * stateDir null keeps nothing (tests).
   */
  public static AgentTlsIdentity forContext(AgentContext context, Path stateDir) {
    try {
      X509Certificate ca = MutualTls.certificate(context.caCertificatePem());
      if (!context.bootstraps()) {
        return new AgentTlsIdentity(MutualTls.privateKey(context.privateKeyPem()),
            MutualTls.certificate(context.certificatePem()), ca, null);
      }
      if (stateDir != null && Files.isRegularFile(stateDir.resolve(KEY_FILE))
          && Files.isRegularFile(stateDir.resolve(CERT_FILE))) {
        return new AgentTlsIdentity(MutualTls.privateKey(Files.readString(stateDir.resolve(KEY_FILE))),
            MutualTls.certificate(Files.readString(stateDir.resolve(CERT_FILE))), ca, stateDir);
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      Instant now = Instant.now();
      X509Certificate placeholder = SelfSignedCertificate.of(pair, context.agentName(),
          now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(2)));
      AgentTlsIdentity identity = new AgentTlsIdentity(pair.getPrivate(), placeholder, ca, stateDir);
      if (stateDir != null) {
        SafeFiles.write(stateDir.resolve(KEY_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
        identity.keep(placeholder);
      }
      return identity;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("invalid TLS material in the context or " + stateDir + ": "
          + e.getMessage(), e);
    }
  }

  private void keep(X509Certificate certificate) {
    if (stateDir == null) {
      return;
    }
    try {
      SafeFiles.write(stateDir.resolve(CERT_FILE), pem("CERTIFICATE", certificate.getEncoded()), "rw-------");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The public key, base64 of its X.509 encoding (what a bootstrap claim carries). */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /** Whether the presented certificate is one the operator's CA issued (not the bootstrap placeholder). */
  public boolean hasIssuedCertificate() {
    return chain[0].getIssuerX500Principal().equals(ca.getSubjectX500Principal()) && signedByCa(chain[0]);
  }

  /**
   * Presents certificate from now on, if it is for this identity's key, signed by the CA and
   * currently valid; otherwise IllegalArgumentException saying which check failed.
   */
  public void install(X509Certificate certificate) {
    if (!Arrays.equals(certificate.getPublicKey().getEncoded(), publicKey.getEncoded())) {
      throw new IllegalArgumentException("the certificate is not for this agent's key");
    }
    if (!signedByCa(certificate)) {
      throw new IllegalArgumentException("the certificate is not signed by the operator's CA");
    }
    try {
      certificate.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the certificate is not valid now: " + e.getMessage(), e);
    }
    keep(certificate);
    chain = new X509Certificate[] {certificate};
  }

  private boolean signedByCa(X509Certificate certificate) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** A server TLS context presenting this identity and trusting only the CA (for client certificates). */
  public SSLContext serverContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(new KeyManager[] {new CurrentKeyManager()}, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the agent's TLS context: " + e.getMessage(), e);
    }
  }

  /** Serves the identity's current certificate (read at each handshake) and its fixed key. */
  private final class CurrentKeyManager extends X509ExtendedKeyManager {
    private String aliasFor(String keyType) {
      return key.getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String alias = aliasFor(keyType);
      return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
