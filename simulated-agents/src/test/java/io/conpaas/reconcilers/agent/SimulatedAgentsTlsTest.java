package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.AgentServer;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.roles.HelloWorldRole;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.simulated.SimulatedConfig;
import io.conpaas.iaas.simulated.SimulatedClouds;
import io.conpaas.iaas.simulated.SimulatedDriver;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.reconcilers.agentclient.TlsBootstrapClient;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import io.conpaas.simulated.SimulatedAgentListener;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated agents against the operator's own agent client and TLS bootstrap, over real mutual TLS:
 * each VM's agent makes its own key, is bootstrapped once, presents its own certificate (the
 * operator's pin refuses another agent's), refuses clients without the operator's certificate, keeps
 * key, certificate and applied configuration across an operator restart, and answers late on a slow Cloud.
 */
class SimulatedAgentsTlsTest {
  private static final CertificateAuthority CA = CertificateAuthority.generate("conpaas test ca");
  private static final IssuedCertificate OPERATOR = CA.issueClient(AgentServer.OPERATOR_CN);
  private static final Instant NOW = Instant.now();

  @TempDir
  Path dir;
  private SimulatedAgentListener listener = new SimulatedAgentListener(4, Clock.systemUTC());
  private SimulatedClouds clouds = new SimulatedClouds(listener);
  private final AgentContextFactory contexts = new AgentContextFactory(CA);
  private final HttpsAgentClient verified = new HttpsAgentClient(
      MutualTls.context(OPERATOR.certificatePem(), OPERATOR.privateKeyPem(), CA.certificatePem()), Duration.ofSeconds(3));
  private final TlsBootstrap bootstrap = new TlsBootstrap(new TlsBootstrapClient(
      MutualTls.keyManagers(OPERATOR.certificatePem(), OPERATOR.privateKeyPem()), Duration.ofSeconds(3)), CA,
      Duration.ofMinutes(30));

  @AfterEach
  void stop() {
    listener.close();
    clouds.close();
  }

  private SimulatedDriver driver() {
    return new SimulatedDriver(SimulatedConfig.of(dir, 0.0, 0.0, 0.0, Map.of(), 15555), clouds, Clock.systemUTC());
  }

  private static Agent agent(String name, String uid, String clientToken, String tokenHash) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName(name).withUid(uid)
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, "hello")).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("agents");
    spec.setServiceKind("HelloWorldService");
    spec.setConfig(Map.of(HelloWorldRole.MESSAGE, "hello from " + name));
    agent.setSpec(spec);
    AgentStatus status = new AgentStatus();
    status.setClientToken(clientToken);
    AgentTlsBootstrap tls = new AgentTlsBootstrap(tokenHash);
    tls.setExpiresAt(NOW.plusSeconds(600).toString());
    status.setTlsBootstrap(tls);
    agent.setStatus(status);
    return agent;
  }

  private Agent agent(String name, String uid) {
    String token = uid + "-1";
    return agent(name, uid, token, contexts.tokenHashFor(token));
  }

  private String launch(SimulatedDriver driver, Agent agent) {
    VmObservation vm = driver.create(new VmRequest(agent.getStatus().getClientToken(), agent.getMetadata().getName(),
        Map.of(VmTags.CLUSTER, "c1"), null, contexts.contextFor(agent)));
    VmObservation running = driver.list("c1").stream().filter(o -> o.instanceId().equals(vm.instanceId()))
        .findFirst().orElseThrow();
    assertThat(running.state()).isEqualTo(VmState.RUNNING);
    return running.agentEndpoint();
  }

  private void bootstrapped(Agent agent, String endpoint) {
    assertThat(bootstrap.advance(agent, endpoint, NOW).step()).isEqualTo(TlsBootstrap.Step.SPENT);
    assertThat(bootstrap.advance(agent, endpoint, NOW).step()).isEqualTo(TlsBootstrap.Step.ISSUED);
  }

  @Test
  void eachSimulatedAgentIsBootstrappedOnceAndAnswersTheAgentProtocolWithItsOwnCertificate() {
    SimulatedDriver driver = driver();
    Agent a = agent("hello-agents-0", "uid-a");
    Agent b = agent("hello-agents-1", "uid-b");
    String endpointA = launch(driver, a);
    String endpointB = launch(driver, b);
    assertThat(endpointA).isNotEqualTo(endpointB);

    // Before the bootstrap the agent presents a placeholder no CA signed: the normal client refuses it.
    assertThat(verified.healthy(endpointA, AgentIdentity.of(a))).isFalse();
    bootstrapped(a, endpointA);
    bootstrapped(b, endpointB);

    assertThat(verified.get(endpointA, AgentIdentity.of(a), "/helloworld")).contains("hello from hello-agents-0");
    assertThat(verified.get(endpointB, AgentIdentity.of(b), "/helloworld")).contains("hello from hello-agents-1");
    assertThat(verified.configure(endpointA, AgentIdentity.of(a), Map.of(HelloWorldRole.MESSAGE, "changed"))
        .configHash()).isEqualTo(io.conpaas.agent.api.ConfigHash.of(Map.of(HelloWorldRole.MESSAGE, "changed")));
    assertThat(verified.get(endpointA, AgentIdentity.of(a), "/helloworld")).contains("changed");
    // The operator's pin: A's endpoint does not pass for B (each agent has its own certificate).
    assertThat(verified.healthy(endpointA, AgentIdentity.of(b))).isFalse();
    // The spent token buys no second certificate.
    assertThat(bootstrap.advance(agent("hello-agents-0", "uid-a"), endpointA, NOW).step())
        .isNotEqualTo(TlsBootstrap.Step.ISSUED);
  }

  @Test
  void aClientWithoutTheOperatorsCertificateGetsNoAnswer() {
    SimulatedDriver driver = driver();
    Agent a = agent("hello-agents-0", "uid-a");
    String endpoint = launch(driver, a);
    bootstrapped(a, endpoint);
    IssuedCertificate stranger = CA.issueClient("someone-else");
    HttpsAgentClient other = new HttpsAgentClient(
        MutualTls.context(stranger.certificatePem(), stranger.privateKeyPem(), CA.certificatePem()),
        Duration.ofSeconds(3));
    assertThatThrownBy(() -> other.info(endpoint, AgentIdentity.of(a))).isInstanceOf(AgentCallException.class)
        .hasMessageContaining("403");
  }

  @Test
  void afterAnOperatorRestartTheVmsAgentKeepsItsKeyAndCertificate() {
    Agent a = agent("hello-agents-0", "uid-a");
    String endpoint = launch(driver(), a);
    bootstrapped(a, endpoint);
    verified.configure(endpoint, AgentIdentity.of(a), Map.of(HelloWorldRole.MESSAGE, "before restart"));

    // The operator's process ends: its listener and in-process clouds are gone, the state dir stays.
    listener.close();
    clouds.close();
    listener = new SimulatedAgentListener(4, Clock.systemUTC());
    clouds = new SimulatedClouds(listener);
    SimulatedDriver again = driver();
    assertThat(again.list("c1")).extracting(VmObservation::agentEndpoint).containsExactly(endpoint);
    // Same key, same certificate: the normal client accepts it without a new bootstrap. The VM's agent
    // outlived the operator: it still has the configuration it applied last (kept on the VM's disk).
    assertThat(verified.healthy(endpoint, AgentIdentity.of(a))).isTrue();
    assertThat(verified.get(endpoint, AgentIdentity.of(a), "/helloworld")).contains("before restart");
    assertThat(verified.info(endpoint, AgentIdentity.of(a)).configHash())
        .isEqualTo(io.conpaas.agent.api.ConfigHash.of(Map.of(HelloWorldRole.MESSAGE, "before restart")));
  }

  @Test
  void aSlowCloudsAgentsAnswerLateAndTheOperatorsBoundCutsTheWait() {
    SimulatedDriver fast = driver();
    Agent a = agent("hello-agents-0", "uid-a");
    String endpoint = launch(fast, a);
    bootstrapped(a, endpoint);
    // The Cloud's spec changes: the rebuilt driver slows the running VM's agent down.
    new SimulatedDriver(SimulatedConfig.of(dir, 0.0, 0.0, 0.0, Map.of(), 15555, 1.2), clouds, Clock.systemUTC());
    long start = System.nanoTime();
    assertThat(verified.healthy(endpoint, AgentIdentity.of(a))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    new SimulatedDriver(SimulatedConfig.of(dir, 0.0, 0.0, 0.0, Map.of(), 15555, 6.0), clouds, Clock.systemUTC());
    start = System.nanoTime();
    assertThat(verified.healthy(endpoint, AgentIdentity.of(a))).as("6 s late: past the 3 s bound").isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5500));
  }

  @Test
  void laterCallsToASimulatedAgentResumeItsTlsSessionAndStillPinIt() throws Exception {
    SimulatedDriver driver = driver();
    Agent a = agent("hello-agents-0", "uid-a");
    Agent b = agent("hello-agents-1", "uid-b");
    String endpointA = launch(driver, a);
    String endpointB = launch(driver, b);
    bootstrapped(a, endpointA);
    bootstrapped(b, endpointB);
    java.util.concurrent.atomic.AtomicInteger fullHandshakes = new java.util.concurrent.atomic.AtomicInteger();
    HttpsAgentClient client = new HttpsAgentClient(countingServerChecks(fullHandshakes), Duration.ofSeconds(3));

    for (int i = 0; i < 5; i++) {
      assertThat(client.get(endpointA, AgentIdentity.of(a), "/helloworld")).contains("hello from hello-agents-0");
    }
    // The agent's certificate was checked once: the four later calls resumed the session.
    assertThat(fullHandshakes).hasValue(1);
    // B's agent has its own keys: A's session is not resumed there, and A's pin refuses B's agent.
    assertThat(client.get(endpointB, AgentIdentity.of(b), "/helloworld")).contains("hello from hello-agents-1");
    assertThat(fullHandshakes).hasValue(2);
    assertThat(client.healthy(endpointB, AgentIdentity.of(a))).isFalse();
    assertThat(client.healthy(endpointA, AgentIdentity.of(b))).isFalse();
    assertThat(client.healthy(endpointA, AgentIdentity.of(a))).isTrue();
  }

  /** The operator's TLS context, counting the agent certificates it checks (one per full handshake). */
  private static javax.net.ssl.SSLContext countingServerChecks(java.util.concurrent.atomic.AtomicInteger checks)
      throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", MutualTls.certificate(CA.certificatePem()));
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    javax.net.ssl.X509ExtendedTrustManager real = (javax.net.ssl.X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    javax.net.ssl.X509ExtendedTrustManager counting = new javax.net.ssl.X509ExtendedTrustManager() {
      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
          java.net.Socket socket) throws java.security.cert.CertificateException {
        checks.incrementAndGet();
        real.checkServerTrusted(chain, authType, socket);
      }

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
          javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
        checks.incrementAndGet();
        real.checkServerTrusted(chain, authType, engine);
      }

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
          throws java.security.cert.CertificateException {
        checks.incrementAndGet();
        real.checkServerTrusted(chain, authType);
      }

      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
          java.net.Socket socket) throws java.security.cert.CertificateException {
        real.checkClientTrusted(chain, authType, socket);
      }

      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
          javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
        real.checkClientTrusted(chain, authType, engine);
      }

      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
          throws java.security.cert.CertificateException {
        real.checkClientTrusted(chain, authType);
      }

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return real.getAcceptedIssuers();
      }
    };
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
    tls.init(MutualTls.keyManagers(OPERATOR.certificatePem(), OPERATOR.privateKeyPem()),
        new javax.net.ssl.TrustManager[] {counting}, null);
    return tls;
  }
}
