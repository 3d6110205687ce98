package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One volume of an XtreemFsService: a filer directory other services mount (manual 2.9.1). */
public class XtreemFsVolume {
  @Required
  @Pattern("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("The volume's name (lower-case letters, digits and -); its files live under /buckets/<name>.")
  private String name;

  @Min(0)
  @JsonPropertyDescription("Quota in MiB (0 or unset: none); a volume over its quota turns read-only until files go.")
  private Long quotaMb;

  @Pattern("^[0-9]{3}$")
  @JsonPropertyDescription("Replica placement of its data, SeaweedFS's xyz: x copies in other data centers, y on other "
      + "racks, z on other OSDs of the same rack (001: two copies on two OSDs). Unset: spec.policies.replication.")
  private String replication;

  @JsonPropertyDescription("Only OSDs of this data center (the name of the Cloud their VMs run in) hold its data.")
  private String dataCenter;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Long getQuotaMb() { return quotaMb; }
  public void setQuotaMb(Long quotaMb) { this.quotaMb = quotaMb; }
  public String getReplication() { return replication; }
  public void setReplication(String replication) { this.replication = replication; }
  public String getDataCenter() { return dataCenter; }
  public void setDataCenter(String dataCenter) { this.dataCenter = dataCenter; }
}
