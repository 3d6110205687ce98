package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired state of a MySQL service (manual 2.5). */
public class MysqlServiceSpec extends ServiceSpec {
  public static final String ROLE_MASTER = "master";
  public static final String ROLE_SLAVES = "slaves";

  @ValidationRule(value = "!has(self.nodes) || self.nodes == 1",
      message = "a MySQL service has exactly one master; scale the slaves instead")
  @JsonPropertyDescription("The master (read-write); always exactly one node.")
  private RoleSpec master;

  @JsonPropertyDescription("Read-only replicas seeded from the master; this is the scale role.")
  private ScaleRoleSpec slaves;

  @JsonPropertyDescription("Secret (same namespace, key `password`) with the password of the user mysqladb. "
      + "Created with a random password when missing; changing it resets the password (ConPaaS "
      + "set_password). Unset: the operator uses a Secret named <service>-mysql. An existing Secret is used "
      + "only if labelled conpaas.io/mysql-service=<service> (by its owner); otherwise the service shows ERROR.")
  private LocalObjectRef passwordSecretRef;

  public RoleSpec getMaster() { return master; }
  public void setMaster(RoleSpec master) { this.master = master; }
  public ScaleRoleSpec getSlaves() { return slaves; }
  public void setSlaves(ScaleRoleSpec slaves) { this.slaves = slaves; }
  public LocalObjectRef getPasswordSecretRef() { return passwordSecretRef; }
  public void setPasswordSecretRef(LocalObjectRef passwordSecretRef) { this.passwordSecretRef = passwordSecretRef; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    // The master first: slaves are seeded from it. An absent master block still means one master.
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_MASTER, master == null ? new RoleSpec(1) : master);
    roles.put(ROLE_SLAVES, slaves);
    return roles;
  }
}
