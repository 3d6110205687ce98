package io.conpaas.reconcilers.model;

import static io.conpaas.reconcilers.model.TestObjects.helloWorld;
import static io.conpaas.reconcilers.model.TestObjects.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service held stopped by something other than its user (credits): EPILOGUE, then STOPPED, with that reason. */
class HeldStopStatusTest {
  private static final Instant T1 = Instant.parse("2026-12-05T10:00:00Z");
  private static final StopCause CREDITS = new StopCause("CreditsExhausted", "credits exhausted (4 used of 2 granted)");

  private static ServiceStatus build(HelloWorldService service, List<Agent> existing, StopCause held) {
    return ServiceStatusBuilder.build(service, "agents", existing, List.of(), List.of(), a -> true, held, T1);
  }

  private static String readyReason(ServiceStatus st) {
    return st.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow()
        .getReason();
  }

  @Test
  void releasingThenStoppedWithTheCauseAsReasonAndMessage() {
    HelloWorldService hello = helloWorld("hello", 2);
    List<Agent> two = DesiredAgents.of(hello, Map.of("agents", "local"), Map.of()).stream()
        .map(TestObjects::running).toList();

    ServiceStatus releasing = build(hello, two, CREDITS);
    assertThat(releasing.getState()).isEqualTo(ServiceState.EPILOGUE);
    assertThat(releasing.getMessage()).startsWith("credits exhausted").contains("releasing 2 agents");
    assertThat(readyReason(releasing)).isEqualTo("CreditsExhausted");

    ServiceStatus stopped = build(hello, List.of(), CREDITS);
    assertThat(stopped.getState()).isEqualTo(ServiceState.STOPPED);
    assertThat(stopped.getMessage()).isEqualTo("credits exhausted (4 used of 2 granted)");
    assertThat(readyReason(stopped)).isEqualTo("CreditsExhausted");
    // What the user asked for stays in the spec.
    assertThat(hello.getSpec().getAgents().getNodes()).isEqualTo(2);
    assertThat(hello.getSpec().getStopped()).isNull();
  }

  @Test
  void withoutACauseNothingChanges() {
    HelloWorldService hello = helloWorld("hello", 0);
    assertThat(build(hello, List.of(), null).getState()).isNotEqualTo(ServiceState.STOPPED);
  }
}
