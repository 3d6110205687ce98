package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.BootstrapClaim;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The operator's side of the TLS bootstrap calls. Before its certificate exists an agent presents a
 * placeholder no CA signed, so these connections present the operator's client certificate (the
 * agent checks it) but take any server certificate, and pin the server's key instead: the claim
 * records the key the handshake presented, and a certificate goes only to a connection presenting
 * the key it was issued for. Normal calls never use this client.
 */
public class TlsBootstrapClient {
  private final HttpsAgentClient calls;

  /** operatorKeys: the key managers of the operator's client certificate. */
  public TlsBootstrapClient(KeyManager[] operatorKeys, Duration timeout) {
    try {
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(operatorKeys, new X509ExtendedTrustManager[] {new AnyServer()}, null);
      this.calls = new HttpsAgentClient(tls, timeout, 64 * 1024);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the bootstrap TLS context: " + e.getMessage(), e);
    }
  }

  /** A claim and the key (base64 X.509) the agent's TLS connection presented while making it. */
  public record SeenClaim(BootstrapClaim claim, String presentedKey) {}

  /** GET /bootstrap of the agent at endpoint; AgentCallException when it does not answer. */
  public SeenClaim claim(String endpoint, String agentName) {
    KeyPin pin = new KeyPin(agentName, null);
    BootstrapClaim claim = calls.bootstrapClaim(endpoint, pin);
    return new SeenClaim(claim, pin.seen.get());
  }

  /** Installs certificatePem on the agent at endpoint, only if it presents the key publicKey (base64 X.509). */
  public void install(String endpoint, String agentName, String publicKey, String certificatePem) {
    calls.installCertificate(endpoint, new KeyPin(agentName, publicKey), certificatePem);
  }

  /** Accepts a peer presenting expectedKey (any key when null) and remembers the key it saw. */
  private static final class KeyPin implements PeerPin {
    private final String agentName;
    private final String expectedKey;
    private final AtomicReference<String> seen = new AtomicReference<>();

    KeyPin(String agentName, String expectedKey) {
      this.agentName = agentName;
      this.expectedKey = expectedKey;
    }

    @Override
    public boolean matches(X509Certificate cert) {
      String key = Base64.getEncoder().encodeToString(cert.getPublicKey().getEncoded());
      seen.set(key);
      return expectedKey == null || expectedKey.equals(key);
    }

    @Override
    public String mismatch() {
      return "the agent presents another key than the one its certificate is for";
    }

    @Override
    public String toString() {
      return agentName + " (bootstrapping)";
    }
  }

  /** Takes any server certificate: the key is pinned after the handshake (see KeyPin). */
  private static final class AnyServer extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("this context is for calling agents only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("this context is for calling agents only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("this context is for calling agents only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
