package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.AgentServer;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.roles.HelloWorldRole;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.AgentTlsBootstrap;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.reconcilers.agentclient.TlsBootstrapClient;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS bootstrap end to end between the operator's code and a real agent server over real TLS:
 * an agent that made its own key gets a certificate for it once, a second key presenting the same
 * token or an expired token gets none, and a restarted agent keeps its key and certificate.
 */
class TlsBootstrapTest {
  private static final CertificateAuthority CA = CertificateAuthority.generate("conpaas test ca");
  private static final IssuedCertificate OPERATOR = CA.issueClient(AgentServer.OPERATOR_CN);
  private static final Instant NOW = Instant.now();

  @TempDir
  Path dir;
  private final List<AgentServer> servers = new ArrayList<>();
  private final AgentContextFactory contexts = new AgentContextFactory(CA);
  private final HttpsAgentClient verified = new HttpsAgentClient(
      MutualTls.context(OPERATOR.certificatePem(), OPERATOR.privateKeyPem(), CA.certificatePem()), Duration.ofSeconds(3));
  private final TlsBootstrap bootstrap = new TlsBootstrap(new TlsBootstrapClient(
      MutualTls.keyManagers(OPERATOR.certificatePem(), OPERATOR.privateKeyPem()), Duration.ofSeconds(3)), CA,
      Duration.ofMinutes(30));

  @AfterEach
  void stopAgents() {
    servers.forEach(AgentServer::close);
  }

  private static Agent agent(String clientToken, String tokenHash, Instant expiresAt) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("hello-agents-0").withUid("uid-1")
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, "hello")).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("agents");
    spec.setServiceKind("HelloWorldService");
    spec.setConfig(Map.of(HelloWorldRole.MESSAGE, "bootstrapped"));
    agent.setSpec(spec);
    AgentStatus status = new AgentStatus();
    status.setClientToken(clientToken);
    AgentTlsBootstrap tls = new AgentTlsBootstrap(tokenHash);
    tls.setExpiresAt(expiresAt.toString());
    status.setTlsBootstrap(tls);
    agent.setStatus(status);
    return agent;
  }

  private Agent agent(String clientToken) {
    return agent(clientToken, contexts.tokenHashFor(clientToken), NOW.plusSeconds(60));
  }

  /** A real agent booted from the document the Agent's VM would get, keeping its files in workDir. */
  private String boot(Agent agent, String workDir) throws Exception {
    AgentContext context = AgentJson.mapper().readValue(contexts.contextFor(agent), AgentContext.class);
    AgentServer server = new AgentServer(context, new HelloWorldRole(),
        new RoleContext(context.agentName(), dir.resolve(workDir), "127.0.0.1"), 0);
    servers.add(server);
    return "127.0.0.1:" + server.start();
  }

  @Test
  void anAgentGetsACertificateForItsOwnKeyOnceAndKeepsItAcrossARestart() throws Exception {
    Agent agent = agent("uid-1-1");
    String endpoint = boot(agent, "vm-1");
    AgentIdentity identity = AgentIdentity.of(agent);
    // Before the bootstrap the agent presents a placeholder no CA signed.
    assertThat(verified.healthy(endpoint, identity)).isFalse();

    assertThat(bootstrap.advance(agent, endpoint, NOW).step()).isEqualTo(TlsBootstrap.Step.SPENT);
    assertThat(agent.getStatus().getTlsBootstrap().getKeySha256()).hasSize(64);
    assertThat(TlsBootstrap.pending(agent)).isTrue();
    assertThat(bootstrap.advance(agent, endpoint, NOW).step()).isEqualTo(TlsBootstrap.Step.ISSUED);

    assertThat(TlsBootstrap.pending(agent)).isFalse();
    assertThat(Instant.parse(agent.getStatus().getTlsBootstrap().getCertificateNotAfter())).isAfter(NOW);
    assertThat(verified.get(endpoint, identity, "/helloworld")).contains("bootstrapped");

    // The same VM's agent restarted: its key and certificate are on its disk, no new bootstrap.
    servers.remove(0).close();
    String again = boot(agent, "vm-1");
    assertThat(verified.healthy(again, identity)).isTrue();
  }

  @Test
  void aCertificateIsRenewedWhenAThirdOfItsLifeIsLeftWithoutRestartingTheAgent() throws Exception {
    Agent agent = agent("uid-1-1");
    String endpoint = boot(agent, "vm-1");
    bootstrap.advance(agent, endpoint, NOW);
    bootstrap.advance(agent, endpoint, NOW);
    Instant first = Instant.parse(agent.getStatus().getTlsBootstrap().getCertificateNotAfter());

    assertThat(bootstrap.renewIfDue(agent, endpoint, NOW.plus(Duration.ofMinutes(10))).step())
        .isEqualTo(TlsBootstrap.Step.NOT_DUE);
    // Twenty-one minutes into thirty: due. (The call pins the recorded key, not the old certificate.)
    Instant later = NOW.plus(Duration.ofMinutes(21));
    assertThat(bootstrap.renewIfDue(agent, endpoint, later).step()).isEqualTo(TlsBootstrap.Step.RENEWED);

    Instant renewed = Instant.parse(agent.getStatus().getTlsBootstrap().getCertificateNotAfter());
    assertThat(renewed).isAfterOrEqualTo(first);
    assertThat(verified.healthy(endpoint, AgentIdentity.of(agent))).isTrue();
  }

  @Test
  void aRenewalGoesOnlyToTheKeyTheTokenWasSpentOn() throws Exception {
    Agent agent = agent("uid-1-1");
    String endpoint = boot(agent, "vm-1");
    bootstrap.advance(agent, endpoint, NOW);
    bootstrap.advance(agent, endpoint, NOW);
    String impostor = boot(agent, "impostor");

    TlsBootstrap.Result refused = bootstrap.renewIfDue(agent, impostor, NOW.plus(Duration.ofMinutes(25)));

    assertThat(refused.step()).isEqualTo(TlsBootstrap.Step.REFUSED);
    assertThat(refused.message()).contains("another key");
  }

  @Test
  void aStolenTokenUsedSecondGetsNothingAndTheFirstUseStands() throws Exception {
    Agent agent = agent("uid-1-1");
    String thief = boot(agent, "thief");
    assertThat(bootstrap.advance(agent, thief, NOW).step()).isEqualTo(TlsBootstrap.Step.SPENT);

    // The real agent comes second with the same token and its own key.
    String real = boot(agent, "vm-1");
    TlsBootstrap.Result refused = bootstrap.advance(agent, real, NOW);

    assertThat(refused.step()).isEqualTo(TlsBootstrap.Step.REFUSED);
    assertThat(refused.message()).contains("already used");
    assertThat(verified.healthy(real, AgentIdentity.of(agent))).isFalse();
  }

  @Test
  void anExpiredTokenGetsNoCertificate() throws Exception {
    Agent agent = agent("uid-1-2", contexts.tokenHashFor("uid-1-2"), NOW.minusSeconds(1));
    String endpoint = boot(agent, "vm-2");

    TlsBootstrap.Result refused = bootstrap.advance(agent, endpoint, NOW);

    assertThat(refused.step()).isEqualTo(TlsBootstrap.Step.REFUSED);
    assertThat(refused.message()).contains("expired");
    assertThat(agent.getStatus().getTlsBootstrap().getKeySha256()).isNull();
  }

  @Test
  void anAgentBootedWithAnotherVmsTokenGetsNoCertificate() throws Exception {
    Agent other = agent("uid-1-9");
    String endpoint = boot(other, "vm-9");

    TlsBootstrap.Result refused = bootstrap.advance(agent("uid-1-1"), endpoint, NOW);

    assertThat(refused.step()).isEqualTo(TlsBootstrap.Step.REFUSED);
    assertThat(refused.message()).contains("not this VM's");
  }
}
