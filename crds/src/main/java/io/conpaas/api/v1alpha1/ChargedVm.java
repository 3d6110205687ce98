package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One live VM in a CreditAccount's ledger: whose it is, since when, and the hours charged so far. */
public class ChargedVm {
  @JsonPropertyDescription("The VM's client token (<agent uid>-<vm serial>): one VM, charged once.")
  private String token;
  @JsonPropertyDescription("Kind of the service the VM belongs to.")
  private String kind;
  @JsonPropertyDescription("Name of the service the VM belongs to.")
  private String service;
  @JsonPropertyDescription("When the VM was created (RFC 3339).")
  private String since;
  @JsonPropertyDescription("Started hours charged so far (never lowered).")
  private Long hours;

  public ChargedVm() {}

  public ChargedVm(String token, String kind, String service, String since, long hours) {
    this.token = token;
    this.kind = kind;
    this.service = service;
    this.since = since;
    this.hours = hours;
  }

  public String getToken() { return token; }
  public void setToken(String token) { this.token = token; }
  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public String getSince() { return since; }
  public void setSince(String since) { this.since = since; }
  public Long getHours() { return hours; }
  public void setHours(Long hours) { this.hours = hours; }
}
