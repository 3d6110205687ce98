package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationStatus;
import io.conpaas.api.v1alpha1.ServiceRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ApplicationStatusBuilder: the worst service state wins; Ready only when all run. */
class ApplicationStatusBuilderTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  private static Application app() {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withName("shop-app").withNamespace("shop").withGeneration(4L).build());
    return a;
  }

  private static ServiceRef svc(String name, ServiceState state) {
    return new ServiceRef("HelloWorldService", name, state);
  }

  private static Condition condition(ApplicationStatus st, String type) {
    return st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void worstStateWinsInEnumOrder() {
    assertThat(ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.ADAPTING), svc("c", ServiceState.STOPPED)),
        NOW).getState()).isEqualTo(ServiceState.ADAPTING);
    assertThat(ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.ERROR), svc("b", ServiceState.EPILOGUE)), NOW).getState())
        .isEqualTo(ServiceState.ERROR);
    assertThat(ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.STOPPED)), NOW).getState())
        .isEqualTo(ServiceState.STOPPED);
  }

  @Test
  void serviceWithoutStateCountsAsInit() {
    ApplicationStatus st = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", null)), NOW);

    assertThat(st.getState()).isEqualTo(ServiceState.INIT);
  }

  @Test
  void noServicesIsInitAndNotReady() {
    ApplicationStatus st = ApplicationStatusBuilder.build(app(), List.of(), NOW);

    assertThat(st.getState()).isEqualTo(ServiceState.INIT);
    assertThat(st.getMessage()).isEqualTo("no services");
    assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void readyOnlyWhenAllServicesRun() {
    ApplicationStatus all = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.RUNNING)), NOW);
    ApplicationStatus one = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.PROLOGUE)), NOW);

    assertThat(condition(all, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(all, "Ready").getObservedGeneration()).isEqualTo(4L);
    assertThat(all.getMessage()).isEqualTo("all 2 services running");
    assertThat(all.getObservedGeneration()).isEqualTo(4L);
    assertThat(condition(one, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(one, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(condition(all, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(condition(all, "Stalled").getStatus()).isEqualTo("False");
    assertThat(one.getMessage()).isEqualTo("HelloWorldService/b is PROLOGUE");
  }

  @Test
  void degradedWhenAServiceIsInError() {
    ApplicationStatus st = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.ERROR)), NOW);

    assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(st, "Degraded").getMessage()).contains("HelloWorldService/b is ERROR");
  }

  @Test
  void listsServicesSortedByKindThenName() {
    ApplicationStatus st = ApplicationStatusBuilder.build(app(), List.of(
        new ServiceRef("PhpService", "a", ServiceState.RUNNING), svc("z", ServiceState.RUNNING),
        svc("m", ServiceState.RUNNING)), NOW);

    assertThat(st.getServices()).extracting(s -> s.getKind() + "/" + s.getName())
        .containsExactly("HelloWorldService/m", "HelloWorldService/z", "PhpService/a");
  }

  @Test
  void stoppedServicesAreSettledAndAnErrorStalls() {
    ApplicationStatus stopped = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.RUNNING), svc("b", ServiceState.STOPPED)), NOW);
    ApplicationStatus error = ApplicationStatusBuilder.build(app(),
        List.of(svc("a", ServiceState.ERROR), svc("b", ServiceState.STOPPED)), NOW);

    assertThat(stopped.getState()).isEqualTo(ServiceState.STOPPED);
    assertThat(condition(stopped, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(stopped, "Ready").getReason()).isEqualTo("ServicesStopped");
    assertThat(condition(stopped, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(condition(error, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(error, "Reconciling").getStatus()).isEqualTo("False");
  }
}
