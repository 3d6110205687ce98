package io.conpaas.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.BootstrapProof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own key: made on the VM, kept across restarts, and given only certificates for it from the CA. */
class AgentTlsIdentityTest {
  @TempDir
  Path dir;

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static AgentContext context(String caPem) {
    return new AgentContext("web-0", "shop", "web", "HelloWorldService", "agents", 0, null, null, caPem, Map.of(),
        "the-token");
  }

  @Test
  void aHandMadeSelfSignedCertificateParsesAndVerifies() throws Exception {
    KeyPair pair = ecKey();
    Instant now = Instant.now();
    X509Certificate c = SelfSignedCertificate.of(pair, "web-0 (a name, with punctuation)", now, now.plusSeconds(60));

    c.verify(pair.getPublic());
    c.checkValidity();
    assertThat(c.getSubjectX500Principal().getName()).contains("web-0");
    assertThat(c.getPublicKey()).isEqualTo(pair.getPublic());
  }

  @Test
  void aNewAgentMakesAKeyKeepsItPrivateAndFindsItAfterARestart() throws Exception {
    X509Certificate ca = SelfSignedCertificate.of(ecKey(), "ca", Instant.now(), Instant.now().plusSeconds(60));
    AgentTlsIdentity first = AgentTlsIdentity.forContext(context(pem(ca)), dir);

    assertThat(first.hasIssuedCertificate()).isFalse();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent-key.pem"))))
        .isEqualTo("rw-------");
    AgentTlsIdentity restarted = AgentTlsIdentity.forContext(context(pem(ca)), dir);
    assertThat(restarted.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
    assertThat(AgentTlsIdentity.forContext(context(pem(ca)), null).publicKeyBase64())
        .isNotEqualTo(first.publicKeyBase64());
    assertThat(BootstrapProof.fingerprint(first.publicKeyBase64())).hasSize(64);
  }

  @Test
  void certificatesForAnotherKeyOrFromAnotherIssuerAreRefused() throws Exception {
    KeyPair caKey = ecKey();
    X509Certificate ca = SelfSignedCertificate.of(caKey, "ca", Instant.now(), Instant.now().plusSeconds(60));
    AgentTlsIdentity identity = AgentTlsIdentity.forContext(context(pem(ca)), dir);

    X509Certificate otherKey = SelfSignedCertificate.of(ecKey(), "web-0", Instant.now(),
        Instant.now().plus(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> identity.install(otherKey)).hasMessageContaining("not for this agent's key");
    assertThat(identity.hasIssuedCertificate()).isFalse();
  }
}
