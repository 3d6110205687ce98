package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationStatus;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.ServiceRef;
import io.conpaas.api.v1alpha1.ServiceState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** An Application's status from its services' states: the worst one wins. Pure. */
public final class ApplicationStatusBuilder {
  private ApplicationStatusBuilder() {}

  public static ApplicationStatus build(Application app, List<ServiceRef> services, Instant now) {
    List<ServiceRef> sorted = services.stream()
        .sorted(Comparator.comparing(ServiceRef::getKind).thenComparing(ServiceRef::getName)).toList();
    ServiceState state = sorted.stream().map(s -> s.getState() == null ? ServiceState.INIT : s.getState())
        .max(Comparator.naturalOrder()).orElse(ServiceState.INIT);
    String message = sorted.isEmpty() ? "no services"
        : sorted.stream().filter(s -> s.getState() != ServiceState.RUNNING)
            .map(s -> s.getKind() + "/" + s.getName() + " is " + (s.getState() == null ? ServiceState.INIT : s.getState())).reduce((a, b) -> a + "; " + b)
            .orElse("all " + sorted.size() + " services running");
    ApplicationStatus st = new ApplicationStatus();
    st.setServices(new java.util.ArrayList<>(sorted));
    st.setState(state);
    st.setMessage(message);
    Long gen = app.getMetadata().getGeneration();
    var prev = app.getStatus() == null ? null : app.getStatus().getConditions();
    boolean ready = !sorted.isEmpty() && state == ServiceState.RUNNING;
    st.setConditions(Conditions.list(
        Conditions.of(prev, ConditionTypes.READY, ready, ready ? "AllServicesRunning" : "ServicesNotRunning",
            message, gen, now),
        Conditions.of(prev, ConditionTypes.DEGRADED, state == ServiceState.ERROR,
            state == ServiceState.ERROR ? "ServiceError" : "AsExpected",
            state == ServiceState.ERROR ? message : "", gen, now)));
    st.setObservedGeneration(gen);
    return st;
  }
}
