package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired state of a key-value store service (manual 2.6). */
public class ScalarisServiceSpec extends ServiceSpec {
  public static final String ROLE_NODES = "nodes";

  @JsonPropertyDescription("The store's nodes, all alike (no manager); this is the scale role. The first node "
      + "(nodes-0) stays across scaling; scaling down moves the leaving nodes' entries to the others first, one "
      + "node at a time.")
  private ScaleRoleSpec nodes;

  @Default("1")
  @Min(0)
  @Max(6)
  @ValidationRule(value = "self == oldSelf", message = "backupCount is set when the service is created")
  @JsonPropertyDescription("Synchronous backups of every entry on other nodes, 0 to 6 (default 1): with n "
      + "backups the store survives n nodes lost without warning. Immutable.")
  private Integer backupCount;

  public ScaleRoleSpec getNodes() { return nodes; }
  public void setNodes(ScaleRoleSpec nodes) { this.nodes = nodes; }
  public Integer getBackupCount() { return backupCount; }
  public void setBackupCount(Integer backupCount) { this.backupCount = backupCount; }

  /** spec.backupCount, 1 when unset (not a bean getter on purpose). */
  public int backups() {
    return backupCount == null ? 1 : backupCount;
  }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_NODES, nodes);
    return roles;
  }
}
