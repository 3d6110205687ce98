package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an Application, summarised from its services. */
public class ApplicationStatus {
  @JsonPropertyDescription("Worst state among the application's services (INIT when it has none).")
  private ServiceState state;
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("The last conpaas.io/reconcile-requested-at annotation value a reconcile acted on (\"reconcile now\").")
  private String lastReconcileRequest;
  @JsonPropertyDescription("The application's services and their states.")
  private List<ServiceRef> services = new ArrayList<>();
  @JsonPropertyDescription("Ready, Progressing and Degraded, and kstatus's Reconciling and Stalled.")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Human-readable summary.")
  private String message;
  @JsonPropertyDescription("The application's private network (set when spec.vpn.enabled).")
  private ApplicationVpnStatus vpn;

  public ServiceState getState() { return state; }
  public void setState(ServiceState state) { this.state = state; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getLastReconcileRequest() { return lastReconcileRequest; }
  public void setLastReconcileRequest(String lastReconcileRequest) { this.lastReconcileRequest = lastReconcileRequest; }
  public List<ServiceRef> getServices() { return services; }
  public void setServices(List<ServiceRef> services) { this.services = services; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public ApplicationVpnStatus getVpn() { return vpn; }
  public void setVpn(ApplicationVpnStatus vpn) { this.vpn = vpn; }
}
