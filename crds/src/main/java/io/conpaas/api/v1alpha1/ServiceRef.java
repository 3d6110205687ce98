package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One service of an application as listed in the Application's status. */
public class ServiceRef {
  @JsonPropertyDescription("Kind of the service, e.g. PhpService.")
  private String kind;
  @JsonPropertyDescription("Name of the service.")
  private String name;
  @JsonPropertyDescription("The service's state.")
  private ServiceState state;
  @JsonPropertyDescription("The service's index in the application's private network (its record: kept while the "
      + "service exists, free again once it is gone).")
  private Integer vpnServiceIndex;
  @JsonPropertyDescription("The sub-block of that index, e.g. 172.16.128.0/17.")
  private String vpnSubnet;

  public ServiceRef() {}

  public ServiceRef(String kind, String name, ServiceState state) {
    this.kind = kind;
    this.name = name;
    this.state = state;
  }

  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public ServiceState getState() { return state; }
  public void setState(ServiceState state) { this.state = state; }
  public String getVpnSubnet() { return vpnSubnet; }
  public void setVpnSubnet(String vpnSubnet) { this.vpnSubnet = vpnSubnet; }
  public Integer getVpnServiceIndex() { return vpnServiceIndex; }
  public void setVpnServiceIndex(Integer vpnServiceIndex) { this.vpnServiceIndex = vpnServiceIndex; }
}
