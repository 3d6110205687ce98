package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state common to every service kind (kinds with more extend it, e.g. {@link MysqlServiceStatus}). */
public class ServiceStatus {
  @JsonPropertyDescription("INIT, PROLOGUE, RUNNING, ADAPTING, EPILOGUE, STOPPED or ERROR.")
  private ServiceState state;
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("The last conpaas.io/reconcile-requested-at annotation value a reconcile acted on (\"reconcile now\").")
  private String lastReconcileRequest;
  @StatusReplicas
  @JsonPropertyDescription("Ready agents of the scale role.")
  private Integer replicas;
  @LabelSelector
  @JsonPropertyDescription("Label selector of this service's Agents (for the scale subresource).")
  private String selector;
  @JsonPropertyDescription("Ready over desired agents of all roles, e.g. 2/2.")
  private String ready;
  @JsonPropertyDescription("Desired and ready agents per role.")
  private List<RoleStatus> roles = new ArrayList<>();
  @JsonPropertyDescription("Where users reach the service.")
  private List<Endpoint> endpoints = new ArrayList<>();
  @JsonPropertyDescription("The service's block of its application's private network (when the application has "
      + "spec.vpn.enabled).")
  private ServiceVpnStatus vpn;
  @JsonPropertyDescription("Ready, Progressing and Degraded, and kstatus's Reconciling and Stalled.")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Human-readable summary; says why in state ERROR.")
  private String message;

  public ServiceState getState() { return state; }
  public void setState(ServiceState state) { this.state = state; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getLastReconcileRequest() { return lastReconcileRequest; }
  public void setLastReconcileRequest(String lastReconcileRequest) { this.lastReconcileRequest = lastReconcileRequest; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getSelector() { return selector; }
  public void setSelector(String selector) { this.selector = selector; }
  public String getReady() { return ready; }
  public void setReady(String ready) { this.ready = ready; }
  public List<RoleStatus> getRoles() { return roles; }
  public void setRoles(List<RoleStatus> roles) { this.roles = roles; }
  public List<Endpoint> getEndpoints() { return endpoints; }
  public void setEndpoints(List<Endpoint> endpoints) { this.endpoints = endpoints; }
  public ServiceVpnStatus getVpn() { return vpn; }
  public void setVpn(ServiceVpnStatus vpn) { this.vpn = vpn; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
