package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage of a namespace's credits. Released VMs survive only as per-service totals; live VMs are
 * listed (by client token) so each is charged once and its hours are never refunded.
 */
public class CreditAccountStatus {
  @JsonPropertyDescription("Credits used: started VM-hours of released and live VMs.")
  private Long used;
  @JsonPropertyDescription("Credits left (never below 0).")
  private Long remaining;
  @JsonPropertyDescription("True when an hour started that the credits did not cover: the namespace's services "
      + "are stopped (reason CreditsExhausted) until more credits are granted.")
  private Boolean exhausted;
  @JsonPropertyDescription("Usage per service, kept after a service is deleted (no refund).")
  private List<ServiceCredits> services = new ArrayList<>();
  @JsonPropertyDescription("Live VMs being charged, with the hours charged so far.")
  private List<ChargedVm> vms = new ArrayList<>();
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("Exhausted and CreditsLow (10% or less left).")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Human-readable summary.")
  private String message;

  public Long getUsed() { return used; }
  public void setUsed(Long used) { this.used = used; }
  public Long getRemaining() { return remaining; }
  public void setRemaining(Long remaining) { this.remaining = remaining; }
  public Boolean getExhausted() { return exhausted; }
  public void setExhausted(Boolean exhausted) { this.exhausted = exhausted; }
  public List<ServiceCredits> getServices() { return services; }
  public void setServices(List<ServiceCredits> services) { this.services = services; }
  public List<ChargedVm> getVms() { return vms; }
  public void setVms(List<ChargedVm> vms) { this.vms = vms; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
