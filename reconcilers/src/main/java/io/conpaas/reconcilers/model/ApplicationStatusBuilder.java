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
    // As for services: stopped services are settled (kstatus Current), so Ready is True then too.
    boolean ready = !sorted.isEmpty() && (state == ServiceState.RUNNING || state == ServiceState.STOPPED);
    boolean converging = !ready && state != ServiceState.ERROR;
    boolean error = state == ServiceState.ERROR;
    st.setConditions(Conditions.list(
        Conditions.of(prev, ConditionTypes.READY, ready,
            !ready ? "ServicesNotRunning" : state == ServiceState.STOPPED ? "ServicesStopped" : "AllServicesRunning",
            message, gen, now),
        Conditions.of(prev, ConditionTypes.DEGRADED, error, error ? "ServiceError" : "AsExpected",
            error ? message : "", gen, now),
        Conditions.of(prev, ConditionTypes.RECONCILING, converging, converging ? "ServicesNotSettled" : "Settled",
            converging ? message : "", gen, now),
        Conditions.of(prev, ConditionTypes.STALLED, error, error ? "ServiceError" : "AsExpected",
            error ? message : "", gen, now)));
    st.setObservedGeneration(gen);
    st.setLastReconcileRequest(ReconcileRequest.recorded(app,
        app.getStatus() == null ? null : app.getStatus().getLastReconcileRequest()));
    return st;
  }
}
