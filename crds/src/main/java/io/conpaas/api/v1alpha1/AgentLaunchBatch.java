package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The batch an Agent's VM is (being) started in: recorded before the cloud call, so that a
 * restarted operator repeats the same idempotent call and binds the same VMs.
 */
public class AgentLaunchBatch {
  @JsonPropertyDescription("Idempotency token of the batch (EC2 ClientToken), shared by its Agents.")
  private String token;
  @JsonPropertyDescription("This Agent's place in the batch (0-based); VMs are bound in slot order.")
  private Integer slot;
  @JsonPropertyDescription("How many Agents the batch was formed with.")
  private Integer size;
  @JsonPropertyDescription("Whether the VM carries this Agent's own tags yet (added after binding).")
  private Boolean labelled;

  public AgentLaunchBatch() {}

  public AgentLaunchBatch(String token, int slot, int size) {
    this.token = token;
    this.slot = slot;
    this.size = size;
  }

  public String getToken() { return token; }
  public void setToken(String token) { this.token = token; }
  public Integer getSlot() { return slot; }
  public void setSlot(Integer slot) { this.slot = slot; }
  public Integer getSize() { return size; }
  public void setSize(Integer size) { this.size = size; }
  public Boolean getLabelled() { return labelled; }
  public void setLabelled(Boolean labelled) { this.labelled = labelled; }
}
