package io.conpaas.reconcilers.agentclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Repeated calls to one agent resume its TLS session instead of a full handshake (the agent checks
 * the operator's certificate only once), and a resumed session still answers for one identity only:
 * another Agent's agent at the same address and port gets a full handshake and is refused.
 */
class HttpsAgentClientResumptionTest {
  private static final CertificateAuthority CA = CertificateAuthority.generate("test-ca");
  private static final IssuedCertificate OPERATOR = CA.issueClient("conpaas-operator");
  private static final AgentIdentity WEB_0 = new AgentIdentity("team-a", "web-0", "uid-a");
  private static final AgentIdentity WEB_1 = new AgentIdentity("team-a", "web-1", "uid-b");

  private HttpsServer server;
  /** Full handshakes the agent did: the client certificate is checked in those only. */
  private final AtomicInteger fullHandshakes = new AtomicInteger();

  /** An agent of identity on loopback (port 0: any), counting the operator certificates it checks. */
  private int startAgent(AgentIdentity identity, int port) throws Exception {
    IssuedCertificate cert = CA.issueAgent(identity.namespace(), identity.name(), identity.uid(),
        List.of("127.0.0.1"));
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(MutualTls.keyManagers(cert.certificatePem(), cert.privateKeyPem()),
        new javax.net.ssl.TrustManager[] {countingTrust()}, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(com.sun.net.httpserver.HttpsParameters params) {
        // Through SSLParameters: setNeedClientAuth alone is undone by the server's setWantClientAuth(false).
        javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", ex -> {
      byte[] answer = identity.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
    return server.getAddress().getPort();
  }

  private X509ExtendedTrustManager countingTrust() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", MutualTls.certificate(CA.certificatePem()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    X509ExtendedTrustManager real = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    return new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        fullHandshakes.incrementAndGet();
        real.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
          throws CertificateException {
        fullHandshakes.incrementAndGet();
        real.checkClientTrusted(chain, authType, s);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e)
          throws CertificateException {
        fullHandshakes.incrementAndGet();
        real.checkClientTrusted(chain, authType, e);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        real.checkServerTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
          throws CertificateException {
        real.checkServerTrusted(chain, authType, s);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e)
          throws CertificateException {
        real.checkServerTrusted(chain, authType, e);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return real.getAcceptedIssuers();
      }
    };
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static HttpsAgentClient client() {
    return new HttpsAgentClient(MutualTls.context(OPERATOR.certificatePem(), OPERATOR.privateKeyPem(),
        CA.certificatePem()), Duration.ofSeconds(3), 1024);
  }

  @Test
  void laterCallsToOneAgentResumeItsSession() throws Exception {
    String endpoint = "127.0.0.1:" + startAgent(WEB_0, 0);
    HttpsAgentClient client = client();

    for (int i = 0; i < 5; i++) {
      assertThat(client.get(endpoint, WEB_0, "/x")).isEqualTo("web-0");
    }
    assertThat(fullHandshakes).hasValue(1);
  }

  @Test
  void anotherAgentAtTheSameAddressAndPortIsRefusedEvenAfterASession() throws Exception {
    int port = startAgent(WEB_0, 0);
    String endpoint = "127.0.0.1:" + port;
    HttpsAgentClient client = client();
    assertThat(client.get(endpoint, WEB_0, "/x")).isEqualTo("web-0");
    assertThat(client.get(endpoint, WEB_0, "/x")).isEqualTo("web-0");

    // The VM is replaced: another Agent's agent now listens at the same address and port.
    server.stop(0);
    fullHandshakes.set(0);
    startAgent(WEB_1, port);
    assertThatThrownBy(() -> client.get(endpoint, WEB_0, "/x")).isInstanceOf(AgentCallException.class);
    assertThat(client.healthy(endpoint, WEB_0)).isFalse();
    // It answers for itself, after a full handshake (the old agent's session was not resumed).
    assertThat(client.get(endpoint, WEB_1, "/x")).isEqualTo("web-1");
    assertThat(fullHandshakes.get()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aSessionOfOneIdentityDoesNotAnswerForAnotherAtTheSameAgent() throws Exception {
    String endpoint = "127.0.0.1:" + startAgent(WEB_0, 0);
    HttpsAgentClient client = client();
    assertThat(client.get(endpoint, WEB_0, "/x")).isEqualTo("web-0");
    // Resumed or not, the pin is checked on every call.
    assertThatThrownBy(() -> client.get(endpoint, WEB_1, "/x")).isInstanceOf(AgentCallException.class);
    assertThat(client.get(endpoint, WEB_0, "/x")).isEqualTo("web-0");
  }
}
