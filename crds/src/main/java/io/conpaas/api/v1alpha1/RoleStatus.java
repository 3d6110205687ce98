package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired and ready agents of one role. */
public class RoleStatus {
  @JsonPropertyDescription("Role name.")
  private String role;
  @JsonPropertyDescription("Agents the role should have now.")
  private Integer desired;
  @JsonPropertyDescription("Agents of the role that answer their health check and run the "
      + "current configuration.")
  private Integer ready;

  public RoleStatus() {}

  public RoleStatus(String role, int desired, int ready) {
    this.role = role;
    this.desired = desired;
    this.ready = ready;
  }

  public String getRole() { return role; }
  public void setRole(String role) { this.role = role; }
  public Integer getDesired() { return desired; }
  public void setDesired(Integer desired) { this.desired = desired; }
  public Integer getReady() { return ready; }
  public void setReady(Integer ready) { this.ready = ready; }
}
