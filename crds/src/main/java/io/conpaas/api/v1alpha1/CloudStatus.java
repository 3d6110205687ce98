package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a Cloud. */
public class CloudStatus {
  @JsonPropertyDescription("Ready tells whether the Cloud can be used.")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Live VMs this operator holds on the Cloud.")
  private Integer instances;
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("The last conpaas.io/reconcile-requested-at annotation value a reconcile acted on (\"reconcile now\").")
  private String lastReconcileRequest;

  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getLastReconcileRequest() { return lastReconcileRequest; }
  public void setLastReconcileRequest(String lastReconcileRequest) { this.lastReconcileRequest = lastReconcileRequest; }
  public Integer getInstances() { return instances; }
  public void setInstances(Integer instances) { this.instances = instances; }
}
