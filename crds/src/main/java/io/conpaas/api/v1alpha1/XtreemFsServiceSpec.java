package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired state of an XtreemFS (SeaweedFS) service: one dir agent, OSDs (the scale role), volumes, policies. */
public class XtreemFsServiceSpec extends ServiceSpec {
  public static final String ROLE_DIR = "dir";
  public static final String ROLE_OSD = "osd";

  @ValidationRule(value = "!has(self.nodes) || self.nodes == 1",
      message = "an XtreemFS service has exactly one dir agent; scale the osd role instead")
  @JsonPropertyDescription("The first agent: SeaweedFS master and filer (XtreemFS's DIR and MRC); always one node.")
  private RoleSpec dir;

  @JsonPropertyDescription("OSDs, each a SeaweedFS volume server; this is the scale role. Scaling down moves the "
      + "leaving OSDs' data to the others before their VMs go, and is refused while the others lack the space.")
  private ScaleRoleSpec osd;

  @JsonPropertyDescription("The volumes: filer directories with a quota and a replica placement, mountable by FUSE.")
  private List<XtreemFsVolume> volumes = new ArrayList<>();

  @JsonPropertyDescription("Replica placement, OSD sizes and labels (manual 2.9.2).")
  private XtreemFsPolicies policies;

  @JsonPropertyDescription("true: every volume refuses writes (reads go on); kubectl conpaas fs download-manifest "
      + "sets it while it copies the volumes, so the snapshot is consistent, then stops the service. The dir "
      + "agent's fact readOnly says when the filer applied it.")
  private Boolean readOnly;

  public RoleSpec getDir() { return dir; }
  public void setDir(RoleSpec dir) { this.dir = dir; }
  public ScaleRoleSpec getOsd() { return osd; }
  public void setOsd(ScaleRoleSpec osd) { this.osd = osd; }
  public List<XtreemFsVolume> getVolumes() { return volumes; }
  public void setVolumes(List<XtreemFsVolume> volumes) { this.volumes = volumes; }
  public XtreemFsPolicies getPolicies() { return policies; }
  public Boolean getReadOnly() { return readOnly; }
  public void setReadOnly(Boolean readOnly) { this.readOnly = readOnly; }
  public void setPolicies(XtreemFsPolicies policies) { this.policies = policies; }

  /** spec.policies, empty when unset (not a bean getter on purpose). */
  public XtreemFsPolicies policiesOrDefault() {
    return policies == null ? new XtreemFsPolicies() : policies;
  }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    // The dir agent first: OSDs join its master.
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_DIR, dir == null ? new RoleSpec(1) : dir);
    roles.put(ROLE_OSD, osd);
    return roles;
  }
}
