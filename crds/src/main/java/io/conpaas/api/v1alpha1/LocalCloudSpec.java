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

  public String getWorkDir() { return workDir; }
  public void setWorkDir(String workDir) { this.workDir = workDir; }
  public Boolean getAllowUnisolatedRoles() { return allowUnisolatedRoles; }
  public void setAllowUnisolatedRoles(Boolean allowUnisolatedRoles) { this.allowUnisolatedRoles = allowUnisolatedRoles; }
}
