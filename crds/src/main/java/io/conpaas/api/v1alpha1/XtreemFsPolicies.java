package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Policies of an XtreemFsService (manual 2.9.2), applied without restarting anything: default
 * replica placement, OSD sizes, and the rack label of OSDs (their data center is their Cloud).
 */
public class XtreemFsPolicies {
  @Pattern("^[0-9]{3}$")
  @JsonPropertyDescription("Default replica placement of volumes that name none (SeaweedFS xyz; default 000).")
  private String replication;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("How many SeaweedFS volumes one OSD holds (default 8): an OSD's capacity is this times "
      + "volumeSizeLimitMb. A scale-down is refused when the OSDs kept have too few free slots for the leaving ones'.")
  private Integer osdVolumes;

  @Min(1)
  @Max(30000)
  @JsonPropertyDescription("The largest size of one SeaweedFS volume in MiB (default 64); read when the master starts.")
  private Integer volumeSizeLimitMb;

  @Pattern("^[A-Za-z0-9.-]{0,63}$")
  @JsonPropertyDescription("Rack label of the OSDs (default: none); placements like 010 spread copies over racks.")
  private String rack;

  public String getReplication() { return replication; }
  public void setReplication(String replication) { this.replication = replication; }
  public Integer getOsdVolumes() { return osdVolumes; }
  public void setOsdVolumes(Integer osdVolumes) { this.osdVolumes = osdVolumes; }
  public Integer getVolumeSizeLimitMb() { return volumeSizeLimitMb; }
  public void setVolumeSizeLimitMb(Integer volumeSizeLimitMb) { this.volumeSizeLimitMb = volumeSizeLimitMb; }
  public String getRack() { return rack; }
  public void setRack(String rack) { this.rack = rack; }
}
