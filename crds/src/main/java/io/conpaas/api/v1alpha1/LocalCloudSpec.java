package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Settings of the local cloud, which runs every "VM" as an agent process on the operator's host. */
public class LocalCloudSpec {
  @JsonPropertyDescription("Directory under which each local VM gets its own work directory "
      + "(context, certificates, pid and port files, log). Defaults to the operator's setting.")
  private String workDir;

  public String getWorkDir() { return workDir; }
  public void setWorkDir(String workDir) { this.workDir = workDir; }
}
