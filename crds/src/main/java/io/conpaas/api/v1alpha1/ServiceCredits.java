package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Credits one service used: hours of its released VMs plus those of its live VMs. */
public class ServiceCredits {
  @JsonPropertyDescription("Kind of the service, e.g. PhpService.")
  private String kind;
  @JsonPropertyDescription("Name of the service.")
  private String name;
  @JsonPropertyDescription("Credits used in total (released plus live VMs).")
  private Long used;
  @JsonPropertyDescription("Credits used by VMs already released (the compact record kept forever).")
  private Long released;
  @JsonPropertyDescription("VMs of the service being charged now.")
  private Integer vms;

  public ServiceCredits() {}

  public ServiceCredits(String kind, String name, long used, long released, int vms) {
    this.kind = kind;
    this.name = name;
    this.used = used;
    this.released = released;
    this.vms = vms;
  }

  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Long getUsed() { return used; }
  public void setUsed(Long used) { this.used = used; }
  public Long getReleased() { return released; }
  public void setReleased(Long released) { this.released = released; }
  public Integer getVms() { return vms; }
  public void setVms(Integer vms) { this.vms = vms; }
}
