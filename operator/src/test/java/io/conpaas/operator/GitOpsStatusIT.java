package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.GitOpsCheck;
import io.conpaas.operator.testing.GitOpsCheck.Verdict;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.model.ServiceStatusBuilder;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitOps tools read our status right: kstatus (Flux, kpt, cli-utils) and the shipped Argo CD health scripts
 * (gopher-lua) judge RUNNING as Current/Healthy, STOPPED as Current/Suspended, ERROR as Failed/Degraded and
 * ADAPTING as InProgress/Progressing, for every service kind and for Applications, over objects read from a
 * real API server.
 */
class GitOpsStatusIT {
  private static final Map<ServiceState, String> EXPECTED = Map.of(
      ServiceState.RUNNING, "Current/Healthy",
      ServiceState.STOPPED, "Current/Suspended",
      ServiceState.ERROR, "Failed/Degraded",
      ServiceState.ADAPTING, "InProgress/Progressing");

  @TempDir
  Path workDir;

  /** HelloWorldService and Application, their status written by a real operator on a local Cloud. */
  @Test
  void aRealOperatorsServicesAndApplicationsInEveryState() throws Exception {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "gitops-status");
    String cloudName = "gitops-" + ns;
    Cloud cloud = Fixtures.localCloud(cloudName, workDir);
    // Two VMs in all: "grow" asking for a second one waits for room, i.e. stays ADAPTING.
    cloud.getSpec().setMaxInstances(2);
    client.resource(cloud).create();
    Map<String, ServiceState> states = Map.of("run", ServiceState.RUNNING, "grow", ServiceState.ADAPTING,
        "stop", ServiceState.STOPPED, "err", ServiceState.ERROR);
    try (ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3),
        TestOperator.localDrivers(workDir))) {
      for (String name : states.keySet()) {
        client.resource(Fixtures.application(ns, "app-" + name, cloudName)).create();
      }
      client.resource(Fixtures.helloWorld(ns, "run", "app-run", 1, "hi")).create();
      client.resource(Fixtures.helloWorld(ns, "grow", "app-grow", 1, "hi")).create();
      HelloWorldService stop = Fixtures.helloWorld(ns, "stop", "app-stop", 1, "hi");
      stop.getSpec().setStopped(true);
      client.resource(stop).create();
      HelloWorldService err = Fixtures.helloWorld(ns, "err", "app-err", 1, "hi");
      err.getSpec().setCloud("nowhere");
      client.resource(err).create();
      awaitService(client, ns, "run", ServiceState.RUNNING);
      awaitService(client, ns, "grow", ServiceState.RUNNING);
      client.resources(HelloWorldService.class).inNamespace(ns).withName("grow")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"agents\":{\"nodes\":2}}}");
      states.forEach((name, state) -> {
        awaitService(client, ns, name, state);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(client
            .resources(Application.class).inNamespace(ns).withName("app-" + name).get().getStatus().getState())
            .isEqualTo(state));
      });

      Map<String, Verdict> verdicts = GitOpsCheck.judge(client, ns,
          List.of("HelloWorldService", "Application", "Agent", "Cloud"));
      states.forEach((name, state) -> {
        assertThat(verdicts.get("HelloWorldService/" + name).pair()).as("HelloWorldService " + name + " " + state)
            .isEqualTo(EXPECTED.get(state));
        assertThat(verdicts.get("Application/app-" + name).pair()).as("Application app-" + name + " " + state)
            .isEqualTo(EXPECTED.get(state));
      });
      // The Stalled message says why (kstatus shows it; Argo CD shows the script's message).
      assertThat(verdicts.get("HelloWorldService/err").message()).contains("nowhere");
      // The other kinds' scripts: a verified Cloud, running Agents, an Agent waiting for room in the Cloud.
      assertThat(verdicts.get("Cloud/" + cloudName).pair()).isEqualTo("Current/Healthy");
      assertThat(verdicts.get("Agent/run-agents-0").pair()).isEqualTo("Current/Healthy");
      assertThat(verdicts.get("Agent/grow-agents-0").pair()).isEqualTo("Current/Healthy");
      assertThat(verdicts.get("Agent/grow-agents-1").argoHealth()).isEqualTo("Progressing");

      client.resources(HelloWorldService.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalVms.liveProcesses(workDir) == 0
          && client.resources(HelloWorldService.class).inNamespace(ns).list().getItems().isEmpty());
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  /**
   * Every registered service kind: the status the operator's one status computation
   * ({@link ServiceStatusBuilder}, then the kind's status class) gives in each state, written through the
   * status subresource (so the CRD schema keeps or prunes it) and judged as served. No operator watches this
   * namespace.
   */
  @Test
  void everyServiceKindInEveryState() throws Exception {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "gitops-kinds");
    Instant now = Instant.now();
    for (RegisteredKind kind : KindRegistry.SERVICE_KINDS) {
      for (ServiceState state : EXPECTED.keySet()) {
        String name = kind.type() + "-" + state.name().toLowerCase();
        client.genericKubernetesResources(ApiConstants.API_VERSION, kind.kind()).inNamespace(ns)
            .resource(service(kind, ns, name, state == ServiceState.STOPPED)).create();
        Agent one = agent(ns, name, kind.scaleRole(), 0);
        // RUNNING first (ADAPTING is a RUNNING service growing), then the state under test.
        writeStatus(client, kind, ns, name, (s) -> ServiceStatusBuilder.build(s, kind.scaleRole(), List.of(one),
            List.of(agent(ns, name, kind.scaleRole(), 0)), List.of(), now));
        switch (state) {
          case ADAPTING -> writeStatus(client, kind, ns, name, s -> ServiceStatusBuilder.build(s, kind.scaleRole(),
              List.of(one), List.of(agent(ns, name, kind.scaleRole(), 0), agent(ns, name, kind.scaleRole(), 1)),
              List.of(), now));
          case ERROR -> writeStatus(client, kind, ns, name, s -> ServiceStatusBuilder.build(s, kind.scaleRole(),
              List.of(one), List.of(), List.of("Cloud nowhere not found"), now));
          case STOPPED -> writeStatus(client, kind, ns, name, s -> ServiceStatusBuilder.build(s, kind.scaleRole(),
              List.of(), List.of(), List.of(), now));
          default -> { }
        }
        assertThat(client.resources(kind.resource()).inNamespace(ns).withName(name).get().getStatus().getState())
            .isEqualTo(state);
      }
    }

    Map<String, Verdict> verdicts = GitOpsCheck.judge(client, ns,
        KindRegistry.SERVICE_KINDS.stream().map(RegisteredKind::kind).toList());
    for (RegisteredKind kind : KindRegistry.SERVICE_KINDS) {
      EXPECTED.forEach((state, expected) -> assertThat(verdicts.get(kind.kind() + "/" + kind.type() + "-"
          + state.name().toLowerCase())).as(kind.kind() + " " + state).extracting(Verdict::pair).isEqualTo(expected));
    }
  }

  private static void awaitService(KubernetesClient client, String ns, String name, ServiceState state) {
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(client
        .resources(HelloWorldService.class).inNamespace(ns).withName(name).get().getStatus().getState())
        .as(name).isEqualTo(state));
  }

  private static GenericKubernetesResource service(RegisteredKind kind, String ns, String name, boolean stopped) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(ApiConstants.API_VERSION);
    r.setKind(kind.kind());
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    Map<String, Object> spec = new HashMap<>(Map.of("application", "app", kind.scaleRole(), Map.of("nodes", 1)));
    if (stopped) {
      spec.put("stopped", true);
    }
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /** A Running agent of the role, running the (empty) configuration it is asked for. */
  private static Agent agent(String ns, String service, String role, int index) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(service + "-" + role + "-" + index).withNamespace(ns).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setConfig(Map.of());
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setAppliedConfigHash(ConfigHash.of(Map.of()));
    a.setStatus(st);
    return a;
  }

  /** Reads the service as served, computes its status, writes it through the status subresource. */
  private static void writeStatus(KubernetesClient client, RegisteredKind kind, String ns, String name,
      java.util.function.Function<ServiceResource<?>, ServiceStatus> compute) {
    ServiceResource<?> s = client.resources(kind.resource()).inNamespace(ns).withName(name).get();
    ServiceStatus status = compute.apply(s);
    String body = Serialization.asJson(Map.of("status", Serialization.jsonMapper().convertValue(status, Map.class)));
    client.genericKubernetesResources(ApiConstants.API_VERSION, kind.kind()).inNamespace(ns).withName(name)
        .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
  }
}
