package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired state of a Hadoop MapReduce service: one master, workers (the scale role). */
public class MapReduceServiceSpec extends ServiceSpec {
  public static final String ROLE_MASTER = "master";
  public static final String ROLE_WORKERS = "workers";
  /** The manual's minimum memory of each VM of the service (2.7), in MiB. */
  public static final int MIN_MEMORY_MB = 384;

  @ValidationRule(value = "!has(self.nodes) || self.nodes == 1",
      message = "a MapReduce service has exactly one master; scale the workers instead")
  @JsonPropertyDescription("The master: HDFS NameNode, YARN ResourceManager and MapReduce JobHistory server; always "
      + "exactly one node.")
  private RoleSpec master;

  @JsonPropertyDescription("Workers, each an HDFS DataNode and a YARN NodeManager; this is the scale role. Scaling "
      + "down decommissions the leaving workers' DataNodes (HDFS copies their blocks to the others) before their VMs "
      + "go.")
  private ScaleRoleSpec workers;

  @Default("2")
  @Min(1)
  @Max(16)
  @JsonPropertyDescription("HDFS replication of files, 1 to 16 (default 2); never more than the number of workers "
      + "(fewer workers lower it, and files are set to it).")
  private Integer replication;

  public RoleSpec getMaster() { return master; }
  public void setMaster(RoleSpec master) { this.master = master; }
  public ScaleRoleSpec getWorkers() { return workers; }
  public void setWorkers(ScaleRoleSpec workers) { this.workers = workers; }
  public Integer getReplication() { return replication; }
  public void setReplication(Integer replication) { this.replication = replication; }

  /** spec.replication, 2 when unset (not a bean getter on purpose). */
  public int wantedReplication() {
    return replication == null ? 2 : replication;
  }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    // The master first: workers join it. An absent master block still means one master.
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_MASTER, master == null ? new RoleSpec(1) : master);
    roles.put(ROLE_WORKERS, workers);
    return roles;
  }
}
