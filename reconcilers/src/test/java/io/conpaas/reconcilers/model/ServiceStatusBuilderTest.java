package io.conpaas.reconcilers.model;

import static io.conpaas.reconcilers.model.TestObjects.helloWorld;
import static io.conpaas.reconcilers.model.TestObjects.running;
import static io.conpaas.reconcilers.model.TestObjects.withPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceStatusBuilder: the service state machine, counts and conditions. */
class ServiceStatusBuilderTest {
  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant T2 = Instant.parse("2024-05-01T10:05:00Z");
  private static final Map<String, Map<String, String>> CONFIG = Map.of("agents", Map.of("message", "hi"));

  private static List<Agent> desired(ServiceResource<?> service) {
    return DesiredAgents.of(service, Map.of("agents", "local", "proxy", "local", "backend", "local"), CONFIG);
  }

  /** Fresh copies of the desired Agents, as if they had been created. */
  private static List<Agent> created(ServiceResource<?> service) {
    return new ArrayList<>(desired(service));
  }

  private static HelloWorldService withPrevious(HelloWorldService service, ServiceState state) {
    ServiceStatus st = new ServiceStatus();
    st.setState(state);
    service.setStatus(st);
    return service;
  }

  private static ServiceStatus build(ServiceResource<?> service, List<Agent> existing, List<String> problems,
      Instant now) {
    return ServiceStatusBuilder.build(service, "agents", existing, desired(service), problems, now);
  }

  private static ServiceStatus build(ServiceResource<?> service, List<Agent> existing) {
    return build(service, existing, List.of(), T1);
  }

  private static Condition condition(ServiceStatus st, String type) {
    return st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void initWhenNothingExistsYet() {
    ServiceStatus st = build(helloWorld("hello", 2), List.of());

    assertThat(st.getState()).isEqualTo(ServiceState.INIT);
    assertThat(st.getReady()).isEqualTo("0/2");
    assertThat(st.getReplicas()).isZero();
    assertThat(condition(st, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void prologueWhileFirstAgentsStart() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.INIT);
    List<Agent> existing = created(service);
    running(existing.get(0));
    withPhase(existing.get(1), AgentPhase.Booting, null);

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.PROLOGUE);
    assertThat(st.getReady()).isEqualTo("1/2");
    assertThat(st.getReplicas()).isEqualTo(1);
    assertThat(st.getMessage()).isEqualTo("1 of 2 agents ready");
  }

  @Test
  void runningWhenEveryDesiredAgentIsReady() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.PROLOGUE);
    List<Agent> existing = created(service);
    existing.forEach(TestObjects::running);

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.RUNNING);
    assertThat(st.getReady()).isEqualTo("2/2");
    assertThat(st.getReplicas()).isEqualTo(2);
    assertThat(st.getSelector()).isEqualTo("conpaas.io/service=hello");
    assertThat(st.getRoles()).singleElement().satisfies(r -> {
      assertThat(r.getRole()).isEqualTo("agents");
      assertThat(r.getDesired()).isEqualTo(2);
      assertThat(r.getReady()).isEqualTo(2);
    });
    assertThat(st.getConditions()).extracting(Condition::getType, Condition::getStatus, Condition::getObservedGeneration)
        .containsExactly(
            tuple("Ready", "True", 7L),
            tuple("Progressing", "False", 7L),
            tuple("Degraded", "False", 7L),
            tuple("Reconciling", "False", 7L),
            tuple("Stalled", "False", 7L));
    assertThat(st.getObservedGeneration()).isEqualTo(7L);
  }

  @Test
  void adaptingWhenScaledUpFromRunning() {
    HelloWorldService service = withPrevious(helloWorld("hello", 3), ServiceState.RUNNING);
    List<Agent> existing = created(service).subList(0, 2);
    existing.forEach(TestObjects::running);

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(st.getReady()).isEqualTo("2/3");
    assertThat(condition(st, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void adaptingWhileExtraAgentsAreReleased() {
    HelloWorldService service = withPrevious(helloWorld("hello", 1), ServiceState.RUNNING);
    List<Agent> existing = created(helloWorld("hello", 2));
    existing.forEach(TestObjects::running);

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(st.getReplicas()).isEqualTo(1);
    assertThat(st.getReady()).isEqualTo("1/1");
    assertThat(st.getMessage()).contains("releasing 1");
  }

  @Test
  void agentRunningAnOldConfigurationIsNotReady() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.RUNNING);
    List<Agent> existing = created(service);
    running(existing.get(0));
    withPhase(existing.get(1), AgentPhase.Running, ConfigHash.of(Map.of("message", "old")));

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(st.getReady()).isEqualTo("1/2");
  }

  @Test
  void epilogueWhileStoppingThenStopped() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.RUNNING);
    List<Agent> existing = created(service);
    existing.forEach(TestObjects::running);
    service.getSpec().setStopped(true);

    ServiceStatus stopping = build(service, existing);
    ServiceStatus stopped = build(service, List.of());

    assertThat(stopping.getState()).isEqualTo(ServiceState.EPILOGUE);
    assertThat(stopping.getMessage()).isEqualTo("releasing 2 agents");
    assertThat(condition(stopping, "Progressing").getStatus()).isEqualTo("True");
    assertThat(stopped.getState()).isEqualTo(ServiceState.STOPPED);
    assertThat(stopped.getReady()).isEqualTo("0/0");
    assertThat(condition(stopped, "Progressing").getStatus()).isEqualTo("False");
    // Stopped as asked is settled: Ready (kstatus reads it) with reason Stopped, neither Reconciling nor Stalled.
    assertThat(condition(stopped, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(stopped, "Ready").getReason()).isEqualTo("Stopped");
    assertThat(condition(stopped, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(condition(stopped, "Stalled").getStatus()).isEqualTo("False");
    assertThat(condition(stopping, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(condition(stopping, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void errorWhenProblemsBlockTheService() {
    ServiceStatus st = build(helloWorld("hello", 1), List.of(), List.of("Cloud ec2 not found", "bad message"), T1);

    assertThat(st.getState()).isEqualTo(ServiceState.ERROR);
    assertThat(st.getMessage()).isEqualTo("Cloud ec2 not found; bad message");
    // kstatus: Stalled (Failed), not Reconciling (which would make Flux wait for a timeout).
    assertThat(condition(st, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Stalled").getReason()).isEqualTo("InvalidConfiguration");
    assertThat(condition(st, "Stalled").getMessage()).isEqualTo("Cloud ec2 not found; bad message");
    assertThat(condition(st, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo("InvalidConfiguration");
    assertThat(condition(st, "Degraded").getMessage()).isEqualTo("Cloud ec2 not found; bad message");
    assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(st, "Progressing").getStatus()).isEqualTo("False");
  }

  @Test
  void errorNamingTheFailedAgent() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.RUNNING);
    List<Agent> existing = created(service);
    running(existing.get(0));
    withPhase(existing.get(1), AgentPhase.Failed, null).getStatus().setMessage("no answer after 3 VMs");

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ERROR);
    assertThat(st.getMessage()).contains("hello-agents-1").contains("no answer after 3 VMs");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo("AgentFailed");
  }

  @Test
  void degradedWhileAnAgentReplacesItsVm() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.RUNNING);
    List<Agent> existing = created(service);
    running(existing.get(0));
    withPhase(existing.get(1), AgentPhase.Booting, null).getStatus().setConditions(new ArrayList<>(List.of(
        new ConditionBuilder().withType("Degraded").withStatus("True").build())));

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo("ReplacingAgents");
  }

  @Test
  void replicasAreReadyAgentsOfTheScaleRoleOnly() {
    TestObjects.TwoRoleService service = TestObjects.twoRoles("wp", 1, 3);
    List<Agent> existing = created(service); // proxy-0, backend-0, backend-1, backend-2
    existing.subList(0, 3).forEach(TestObjects::running);

    ServiceStatus byBackend = ServiceStatusBuilder.build(service, "backend", existing, desired(service), List.of(), T1);
    ServiceStatus byProxy = ServiceStatusBuilder.build(service, "proxy", existing, desired(service), List.of(), T1);

    assertThat(byBackend.getReplicas()).isEqualTo(2);
    assertThat(byProxy.getReplicas()).isEqualTo(1);
    assertThat(byBackend.getReady()).isEqualTo("3/4");
    assertThat(byBackend.getRoles()).extracting(r -> r.getRole() + "=" + r.getReady() + "/" + r.getDesired())
        .containsExactly("proxy=1/1", "backend=2/3");
  }

  @Test
  void keepsLastTransitionTimeWhileConditionHoldsAndMovesItOnChange() {
    HelloWorldService service = withPrevious(helloWorld("hello", 1), ServiceState.PROLOGUE);
    List<Agent> existing = created(service);
    running(existing.get(0));
    service.setStatus(build(service, existing, List.of(), T1));

    ServiceStatus again = build(service, existing, List.of(), T2);
    assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());

    withPhase(existing.get(0), AgentPhase.Failed, null);
    ServiceStatus failed = build(service, existing, List.of(), T2);
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Ready").getLastTransitionTime()).isEqualTo(T2.toString());
  }

  @Test
  void agentIsReadyOnlyWhenRunningItsCurrentConfiguration() {
    HelloWorldService service = helloWorld("hello", 1);
    String current = ConfigHash.of(Map.of("message", "hi"));

    assertThat(ServiceStatusBuilder.isReady(withPhase(created(service).get(0), AgentPhase.Running, current))).isTrue();
    assertThat(ServiceStatusBuilder.isReady(withPhase(created(service).get(0), AgentPhase.Running, "stale"))).isFalse();
    assertThat(ServiceStatusBuilder.isReady(withPhase(created(service).get(0), AgentPhase.Configuring, current)))
        .isFalse();
    assertThat(ServiceStatusBuilder.isReady(created(service).get(0))).isFalse();
    Agent leaving = withPhase(created(service).get(0), AgentPhase.Running, current);
    leaving.getMetadata().setDeletionTimestamp("2024-05-01T10:00:00Z");
    assertThat(ServiceStatusBuilder.isReady(leaving)).isFalse();
  }

  private static Agent degradedBy(Agent a, String reason, String message) {
    withPhase(a, AgentPhase.Creating, null);
    a.getStatus().setConditions(List.of(new ConditionBuilder().withType("Degraded").withStatus("True")
        .withReason(reason).withMessage(message).build()));
    return a;
  }

  @Test
  void aFullCloudIsReportedAsWhatTheServiceWaitsFor() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.PROLOGUE);
    List<Agent> existing = created(service);
    running(existing.get(0));
    degradedBy(existing.get(1), AgentReasons.CLOUD_FULL, "Cloud aws is full: 3 of 3 instances");

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.PROLOGUE);
    assertThat(st.getMessage()).contains("waiting: Cloud aws is full: 3 of 3 instances");
    assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo(AgentReasons.CLOUD_FULL);
  }

  @Test
  void aCloudThatRejectsRequestsIsAnErrorNamingWhy() {
    HelloWorldService service = withPrevious(helloWorld("hello", 1), ServiceState.PROLOGUE);
    List<Agent> existing = created(service);
    degradedBy(existing.get(0), AgentReasons.CLOUD_REJECTED, "Cloud aws: AuthFailure: bad key");

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ERROR);
    assertThat(st.getMessage()).isEqualTo("Cloud aws: AuthFailure: bad key");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo("CloudRejected");
  }

  @Test
  void aRunningAgentThatStoppedAnsweringIsNotReadyAndTheServiceSaysWhyInDegraded() {
    HelloWorldService service = withPrevious(helloWorld("hello", 2), ServiceState.RUNNING);
    List<Agent> existing = created(service);
    running(existing.get(0));
    running(existing.get(1));
    existing.get(1).getStatus().setUnreachableSince(T1.toString());
    existing.get(1).getStatus().setMessage("the agent on VM i-2 does not answer: Read timed out");

    ServiceStatus st = build(service, existing);

    assertThat(st.getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(st.getReady()).isEqualTo("1/2");
    assertThat(st.getMessage()).contains("unreachable: hello-agents-1: the agent on VM i-2 does not answer");
    assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Degraded").getReason()).isEqualTo("AgentsUnreachable");
    assertThat(condition(st, "Degraded").getMessage()).contains("Read timed out");
  }
}
