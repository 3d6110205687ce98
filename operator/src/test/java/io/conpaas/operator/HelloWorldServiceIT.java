package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.HelloWorldAnswer;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.testing.DevCluster;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.testing.Kubectl;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.testing.TestNamespace;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HelloWorldService end to end: real API server, real operator, real agent processes. */
class HelloWorldServiceIT {
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final String APP = "demo";

  @TempDir
  static Path workDir;

  static KubernetesClient client;
  static String ns;
  static String cloudName;
  static ConpaasOperator operator;
  static HttpsAgentClient agentClient;

  @BeforeAll
  static void startOperator() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "hw");
    cloudName = "local-" + ns;
    client.resource(Fixtures.localCloud(cloudName, workDir)).create();
    client.resource(Fixtures.application(ns, APP, cloudName)).create();
    operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir));
    agentClient = new HttpsAgentClient(operator.agentTls(), Duration.ofSeconds(3));
  }

  @AfterAll
  static void stopOperator() {
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    await().atMost(SETTLE).until(() -> client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
    operator.close();
    client.resources(Cloud.class).withName(cloudName).delete();
  }

  @Test
  void twoAgentsRunAnswerHealthOverMutualTlsAndReturnTheMessage() throws Exception {
    client.resource(Fixtures.helloWorld(ns, "hw-two", APP, 2, "Hello from the IT")).create();
    awaitRunning("hw-two", 2);

    List<Agent> agents = agents("hw-two");
    assertThat(agents).hasSize(2).allSatisfy(a -> assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running));
    assertThat(agents.stream().map(a -> a.getStatus().getInstanceId()).distinct()).hasSize(2);
    for (Agent a : agents) {
      assertThat(agentClient.healthy(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a))).isTrue();
      assertThat(message(a)).isEqualTo("Hello from the IT");
      assertThat(LocalVms.pid(workDir, a.getStatus().getInstanceId()).map(LocalVms::alive)).contains(true);
    }

    // What happened is visible in metrics and in Events, and no key material leaks into Events.
    assertThat(operator.metrics().find("conpaas.vm.creations").tag("cloud", cloudName).counter().count())
        .isGreaterThanOrEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("VmCreated");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("hw-two-agents-0");
        })
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("RUNNING");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("hw-two");
        }));
    assertThat(events()).noneMatch(e -> e.getMessage().contains("PRIVATE KEY"));

    // The message is configuration: changing it is pushed to the running agents.
    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-two")
        .edit(s -> { s.getSpec().setMessage("Changed"); return s; });
    await().atMost(SETTLE).untilAsserted(() -> {
      for (Agent a : agents("hw-two")) {
        assertThat(message(a)).isEqualTo("Changed");
      }
    });
    awaitRunning("hw-two", 2);
  }

  @Test
  void anAgentRefusesCallersWithoutAClientCertificate() throws Exception {
    client.resource(Fixtures.helloWorld(ns, "hw-tls", APP, 1, "secret-free")).create();
    awaitRunning("hw-tls", 1);
    Agent agent = agents("hw-tls").get(0);

    // Trusts the agent's CA, but presents no certificate of its own.
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", io.conpaas.agent.api.MutualTls.certificate(
        operator.certificateAuthority().certificatePem()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext noClientCert = SSLContext.getInstance("TLSv1.3");
    noClientCert.init(null, tmf.getTrustManagers(), null);

    HttpsURLConnection c = (HttpsURLConnection) new URL("https://" + agent.getStatus().getAgentEndpoint()
        + AgentPaths.HEALTH).openConnection();
    c.setSSLSocketFactory(noClientCert.getSocketFactory());
    c.setHostnameVerifier((h, s) -> true);
    c.setConnectTimeout(3000);
    c.setReadTimeout(3000);
    org.assertj.core.api.Assertions.assertThatThrownBy(c::getResponseCode).isInstanceOf(IOException.class);
    // The same agent answers the operator's certificate.
    assertThat(agentClient.healthy(agent.getStatus().getAgentEndpoint(), AgentIdentity.of(agent))).isTrue();
  }

  @Test
  void kubectlScaleAddsAndRemovesAgentsAndTheirProcesses() {
    client.resource(Fixtures.helloWorld(ns, "hw-scale", APP, 1, "scale me")).create();
    awaitRunning("hw-scale", 1);
    List<ServiceState> seen = new CopyOnWriteArrayList<>();
    try (Watch w = watchStates("hw-scale", seen)) {
      Kubectl.ok("-n", ns, "scale", "helloworldservice/hw-scale", "--replicas=3");
      awaitRunning("hw-scale", 3);
      assertThat(seen).contains(ServiceState.ADAPTING);
    }
    Map<String, Long> pids = agents("hw-scale").stream().collect(Collectors.toMap(a -> a.getMetadata().getName(),
        a -> LocalVms.pid(workDir, a.getStatus().getInstanceId()).orElseThrow()));
    assertThat(pids.values()).allMatch(LocalVms::alive);

    Kubectl.ok("-n", ns, "scale", "helloworldservice/hw-scale", "--replicas=1");
    awaitRunning("hw-scale", 1);
    await().atMost(SETTLE).until(() -> agents("hw-scale").size() == 1);
    // Extra agents go highest slot first; their processes are gone.
    assertThat(agents("hw-scale")).extracting(a -> a.getMetadata().getName()).containsExactly("hw-scale-agents-0");
    await().atMost(SETTLE).untilAsserted(() -> {
      assertThat(LocalVms.alive(pids.get("hw-scale-agents-1"))).isFalse();
      assertThat(LocalVms.alive(pids.get("hw-scale-agents-2"))).isFalse();
    });
    assertThat(LocalVms.alive(pids.get("hw-scale-agents-0"))).isTrue();
    assertThat(Kubectl.ok("-n", ns, "get", "helloworldservice", "hw-scale")).contains("RUNNING").contains("1/1");
  }

  @Test
  void aKilledAgentProcessIsReplacedAndTheServiceRecovers() throws IOException {
    client.resource(Fixtures.helloWorld(ns, "hw-kill", APP, 2, "survivor")).create();
    awaitRunning("hw-kill", 2);
    Agent victim = agent("hw-kill-agents-1");
    String oldInstance = victim.getStatus().getInstanceId();
    long pid = LocalVms.pid(workDir, oldInstance).orElseThrow();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await().atMost(SETTLE).untilAsserted(() -> {
      Agent a = agent("hw-kill-agents-1");
      assertThat(a.getStatus().getInstanceId()).isNotEqualTo(oldInstance);
      assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running);
    });
    awaitRunning("hw-kill", 2);
    assertThat(events()).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("VmReplaced");
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("hw-kill-agents-1");
    });
    assertThat(operator.metrics().find("conpaas.agent.replacements").tag("cloud", cloudName).counter().count())
        .isGreaterThanOrEqualTo(1);
    Agent replaced = agent("hw-kill-agents-1");
    assertThat(message(replaced)).isEqualTo("survivor");
    assertThat(LocalVms.alive(pid)).isFalse();
  }

  @Test
  void stoppingReleasesEveryAgentAndStartingBringsThemBack() {
    client.resource(Fixtures.helloWorld(ns, "hw-stop", APP, 2, "pause")).create();
    awaitRunning("hw-stop", 2);
    Set<Long> pids = agents("hw-stop").stream()
        .map(a -> LocalVms.pid(workDir, a.getStatus().getInstanceId()).orElseThrow()).collect(Collectors.toSet());

    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-stop")
        .edit(s -> { s.getSpec().setStopped(true); return s; });
    await().atMost(SETTLE).until(() -> state("hw-stop") == ServiceState.STOPPED);
    assertThat(agents("hw-stop")).isEmpty();
    assertThat(pids).noneMatch(LocalVms::alive);

    client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-stop")
        .edit(s -> { s.getSpec().setStopped(false); return s; });
    awaitRunning("hw-stop", 2);
  }

  @Test
  void deletingTheServiceReleasesEveryVmBeforeTheObjectGoes() {
    client.resource(Fixtures.helloWorld(ns, "hw-del", APP, 2, "bye")).create();
    awaitRunning("hw-del", 2);
    Set<Long> pids = agents("hw-del").stream()
        .map(a -> LocalVms.pid(workDir, a.getStatus().getInstanceId()).orElseThrow()).collect(Collectors.toSet());
    AtomicBoolean deletedSeen = new AtomicBoolean();
    AtomicBoolean aliveAtDeletion = new AtomicBoolean();
    try (Watch w = client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-del").watch(
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, HelloWorldService s) {
            if (action == Action.DELETED) {
              aliveAtDeletion.set(pids.stream().anyMatch(LocalVms::alive));
              deletedSeen.set(true);
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      client.resources(HelloWorldService.class).inNamespace(ns).withName("hw-del").delete();
      await().atMost(SETTLE).untilTrue(deletedSeen);
    }
    assertThat(aliveAtDeletion).isFalse();
    assertThat(agents("hw-del")).isEmpty();
    assertThat(pids).noneMatch(LocalVms::alive);
  }

  private static Watch watchStates(String name, List<ServiceState> seen) {
    return client.resources(HelloWorldService.class).inNamespace(ns).withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, HelloWorldService s) {
        if (s.getStatus() != null && s.getStatus().getState() != null) {
          seen.add(s.getStatus().getState());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  private static void awaitRunning(String name, int replicas) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReplicas()).isEqualTo(replicas);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
    });
  }

  private static ServiceState state(String name) {
    HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
    return s.getStatus() == null ? null : s.getStatus().getState();
  }

  private static List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, service).list()
        .getItems().stream().sorted(Comparator.comparing(a -> a.getMetadata().getName())).toList();
  }

  private static List<io.fabric8.kubernetes.api.model.Event> events() {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  private static Agent agent(String name) {
    return client.resources(Agent.class).inNamespace(ns).withName(name).get();
  }

  private static String message(Agent a) throws IOException {
    String body = agentClient.get(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a), AgentPaths.HELLOWORLD);
    return AgentJson.mapper().readValue(body, HelloWorldAnswer.class).message();
  }
}
