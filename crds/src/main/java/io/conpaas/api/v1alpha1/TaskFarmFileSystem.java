package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A file system service's volume a TaskFarm mounts on its workers (manual 2.8.3). */
public class TaskFarmFileSystem {
  @JsonPropertyDescription("Name of the XtreemFsService (same namespace).")
  private String service;

  @JsonPropertyDescription("Volume of that service.")
  private String volume;

  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public String getVolume() { return volume; }
  public void setVolume(String volume) { this.volume = volume; }
}
