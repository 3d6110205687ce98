package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Settings of the local cloud, which runs every "VM" as an agent process on the operator's host. */
public class LocalCloudSpec {
  @JsonPropertyDescription("Directory under which each local VM gets its own work directory "
      + "(context, certificates, pid and port files, log). Defaults to the operator's setting.")
  private String workDir;

  @JsonPropertyDescription("Development only: lets agents that do not run as root (the operator is not "
      + "root) run PhpService, JavaService and MysqlService roles. Their PHP code, servlets and MySQL then "
      + "run as the operator's own user and can read every local VM's files, keys and passwords. Without it "
      + "such agents refuse to start and say why. An operator run as root gives each VM an account of its own "
      + "and needs no such setting.")
  private Boolean allowUnisolatedRoles;

  @JsonPropertyDescription("Runs each agent in a network namespace of its own with its own veth, on an underlay "
      + "network of this Cloud (see network), so that \"VMs\" have separate addresses. Agents of an application with "
      + "spec.vpn.enabled are isolated so even without it. Needs root.")
  private Boolean isolateNetwork;

  @JsonPropertyDescription("The Cloud's underlay network for isolated agents, an IPv4 CIDR of at most /16 and at "
      + "least /29, e.g. 10.213.7.0/24 (default: a /24 in 10.200.0.0/13 derived from the Cloud's name). The host "
      + "holds its first address; agents get the next ones.")
  private String network;

  @io.fabric8.generator.annotation.Min(64)
  @JsonPropertyDescription("Memory of each local VM in MiB, as services see it: kinds with a minimum per VM (e.g. "
      + "MapReduceService's 384 MiB) refuse a Cloud below it. Not enforced on the host. Unset: no limit is known, "
      + "and every kind accepts the Cloud.")
  private Integer memoryMb;

  public Integer getMemoryMb() { return memoryMb; }
  public void setMemoryMb(Integer memoryMb) { this.memoryMb = memoryMb; }

  public Boolean getIsolateNetwork() { return isolateNetwork; }
  public void setIsolateNetwork(Boolean isolateNetwork) { this.isolateNetwork = isolateNetwork; }
  public String getNetwork() { return network; }
  public void setNetwork(String network) { this.network = network; }
  public String getWorkDir() { return workDir; }
  public void setWorkDir(String workDir) { this.workDir = workDir; }
  public Boolean getAllowUnisolatedRoles() { return allowUnisolatedRoles; }
  public void setAllowUnisolatedRoles(Boolean allowUnisolatedRoles) { this.allowUnisolatedRoles = allowUnisolatedRoles; }
}
