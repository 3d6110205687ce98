package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Replication state of one slave, as its agent last reported it. */
public class ReplicaStatus {
  @JsonPropertyDescription("The slave's Agent.")
  private String agent;
  @JsonPropertyDescription("Whether its I/O and SQL threads run.")
  private Boolean replicating;
  @JsonPropertyDescription("Seconds_Behind_Master when last configured or checked.")
  private Long secondsBehindMaster;

  public ReplicaStatus() {}

  public ReplicaStatus(String agent, Boolean replicating, Long secondsBehindMaster) {
    this.agent = agent;
    this.replicating = replicating;
    this.secondsBehindMaster = secondsBehindMaster;
  }

  public String getAgent() { return agent; }
  public void setAgent(String agent) { this.agent = agent; }
  public Boolean getReplicating() { return replicating; }
  public void setReplicating(Boolean replicating) { this.replicating = replicating; }
  public Long getSecondsBehindMaster() { return secondsBehindMaster; }
  public void setSecondsBehindMaster(Long secondsBehindMaster) { this.secondsBehindMaster = secondsBehindMaster; }
}
