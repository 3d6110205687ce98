package io.conpaas.reconcilers.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.api.MutualTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CertificateAuthority: PEM round trip, issued certificates, and mutual TLS between them. */
class CertificateAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DNS = 2;
  private static final int IP = 7;

  private static CertificateAuthority ca;
  private static ExecutorService serverThread;

  @BeforeAll
  static void createCa() {
    ca = CertificateAuthority.generate("test-ca");
    serverThread = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stopServerThread() {
    serverThread.shutdownNow();
  }

  private static X509Certificate cert(String pem) throws GeneralSecurityException {
    return MutualTls.certificate(pem);
  }

  @Test
  void caIsASelfSignedCaCertificate() throws Exception {
    X509Certificate c = cert(ca.certificatePem());

    c.verify(c.getPublicKey());
    assertThat(MutualTls.commonName(c)).isEqualTo("test-ca");
    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void roundTripsThroughPem() throws Exception {
    CertificateAuthority restored = CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem());

    assertThat(restored.certificatePem()).isEqualTo(ca.certificatePem());
    // The restored key signs what the original certificate's public key verifies.
    cert(restored.issueClient("someone").certificatePem()).verify(cert(ca.certificatePem()).getPublicKey());
  }

  @Test
  void rejectsPemThatIsNotACa() {
    assertThatThrownBy(() -> CertificateAuthority.fromPem("not a certificate", ca.privateKeyPem()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serverCertificateNamesTheAgentAndIsSignedByTheCa() throws Exception {
    X509Certificate c = cert(ca.issueServer("hello-agents-0", List.of("127.0.0.1")).certificatePem());

    c.verify(cert(ca.certificatePem()).getPublicKey());
    c.checkValidity();
    assertThat(MutualTls.commonName(c)).isEqualTo("hello-agents-0");
    assertThat(c.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(DNS, "hello-agents-0"), List.of(IP, "127.0.0.1"));
    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void clientCertificateHasTheCommonNameAndClientUsage() throws Exception {
    X509Certificate c = cert(ca.issueClient("conpaas-operator").certificatePem());

    c.verify(cert(ca.certificatePem()).getPublicKey());
    assertThat(MutualTls.commonName(c)).isEqualTo("conpaas-operator");
    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
  }

  @Test
  void issuedCertificateNeverPrintsItsKey() {
    IssuedCertificate issued = ca.issueClient("conpaas-operator");

    assertThat(issued.toString()).doesNotContain(issued.privateKeyPem()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void mutualTlsHandshakeBetweenIssuedServerAndClient() throws Exception {
    SSLContext server = context(ca.issueServer("hello-agents-0", List.of("127.0.0.1")), ca);
    SSLContext client = context(ca.issueClient("conpaas-operator"), ca);

    assertThat(handshake(server, client)).isEqualTo("conpaas-operator");
  }

  @Test
  void serverRefusesClientCertificateFromAnotherCa() throws Exception {
    CertificateAuthority other = CertificateAuthority.generate("other-ca");
    SSLContext server = context(ca.issueServer("hello-agents-0", List.of("127.0.0.1")), ca);
    // The client trusts our CA but presents a certificate the other CA signed.
    IssuedCertificate foreign = other.issueClient("conpaas-operator");
    SSLContext client = MutualTls.context(foreign.certificatePem(), foreign.privateKeyPem(), ca.certificatePem());

    assertThatThrownBy(() -> handshake(server, client))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(UncheckedIOException.class).cause()
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static SSLContext context(IssuedCertificate own, CertificateAuthority trusted) {
    return MutualTls.context(own.certificatePem(), own.privateKeyPem(), trusted.certificatePem());
  }

  /** Runs one TLS connection and returns the client CN the server saw (or throws the server's failure). */
  private static String handshake(SSLContext server, SSLContext client) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, loopback)) {
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(10_000);
      Future<String> seen = serverThread.submit(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          String cn = MutualTls.commonName((X509Certificate) s.getSession().getPeerCertificates()[0]);
          s.getOutputStream().write(42);
          s.getOutputStream().flush();
          return cn;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
        c.setSoTimeout(10_000);
        c.startHandshake();
        // With TLS 1.3 the server judges the client's certificate after the client finished.
        assertThat(c.getInputStream().read()).isEqualTo(42);
      } catch (IOException clientSide) {
        // The server's verdict (below) is what the test checks.
      }
      return seen.get(20, TimeUnit.SECONDS);
    }
  }
}
