package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a Cloud: where VMs come from (ConPaaS director.cfg [iaas] and OTHER_CLOUDS). */
@ValidationRule(value = "self.provider != 'ec2' || has(self.ec2)",
    message = "spec.ec2 is required when provider is ec2")
@ValidationRule(value = "self.provider != 'opennebula' || has(self.opennebula)",
    message = "spec.opennebula is required when provider is opennebula")
@ValidationRule(value = "self.provider != 'qemu' || has(self.qemu)",
    message = "spec.qemu is required when provider is qemu")
public class CloudSpec {
  @Required
  @JsonPropertyDescription("Kind of infrastructure: local (agent processes on the operator's host), "
      + "ec2, opennebula, qemu (VMs booted by qemu on the operator's host from the agent image) or simulated "
      + "(VMs simulated in the operator's process, for sizing and scheduling trials without a cloud).")
  private CloudProvider provider;

  @JsonProperty("default")
  @JsonPropertyDescription("The Cloud used when neither the service, its role nor its Application "
      + "names one. At most one Cloud should be the default.")
  private Boolean defaultCloud;

  @Min(0)
  @Max(100000)
  @JsonPropertyDescription("Hard cap of live VMs this Cloud may hold for the whole operator; unset "
      + "means no cap.")
  private Integer maxInstances;

  @JsonPropertyDescription("Secret holding the cloud's credentials (never copied into status, "
      + "events or logs).")
  private SecretRef credentialsSecretRef;

  @JsonPropertyDescription("Settings for provider ec2.")
  private Ec2CloudSpec ec2;

  @JsonPropertyDescription("Settings for provider opennebula.")
  private OpenNebulaCloudSpec opennebula;

  @JsonPropertyDescription("Settings for provider local.")
  private LocalCloudSpec local;

  @JsonPropertyDescription("Settings for provider qemu.")
  private QemuCloudSpec qemu;

  @JsonPropertyDescription("Settings for provider simulated.")
  private SimulatedCloudSpec simulated;

  @Size(max = 256)
  @ValidationRule(value = "self.all(n, size(n) > 0 && size(n) <= 63)",
      message = "each entry must be a namespace name (1 to 63 characters)")
  @JsonPropertyDescription("Namespaces whose services may start VMs on this Cloud; empty or unset: every "
      + "namespace. A service elsewhere that resolves to this Cloud shows ERROR and starts no VM.")
  private List<String> allowedNamespaces;

  @Size(max = 256)
  @ValidationRule(value = "self.all(t, size(t) > 0)", message = "entries must not be empty")
  @JsonPropertyDescription("Instance types a role may name in its instanceType on this Cloud; empty or "
      + "unset: any. A role without instanceType gets the Cloud's default type, which is always allowed.")
  private List<String> allowedInstanceTypes;

  public CloudProvider getProvider() { return provider; }
  public void setProvider(CloudProvider provider) { this.provider = provider; }
  public Boolean getDefaultCloud() { return defaultCloud; }
  public void setDefaultCloud(Boolean defaultCloud) { this.defaultCloud = defaultCloud; }
  public Integer getMaxInstances() { return maxInstances; }
  public void setMaxInstances(Integer maxInstances) { this.maxInstances = maxInstances; }
  public SecretRef getCredentialsSecretRef() { return credentialsSecretRef; }
  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) { this.credentialsSecretRef = credentialsSecretRef; }
  public Ec2CloudSpec getEc2() { return ec2; }
  public void setEc2(Ec2CloudSpec ec2) { this.ec2 = ec2; }
  public OpenNebulaCloudSpec getOpennebula() { return opennebula; }
  public void setOpennebula(OpenNebulaCloudSpec opennebula) { this.opennebula = opennebula; }
  public LocalCloudSpec getLocal() { return local; }
  public void setLocal(LocalCloudSpec local) { this.local = local; }
  public QemuCloudSpec getQemu() { return qemu; }
  public void setQemu(QemuCloudSpec qemu) { this.qemu = qemu; }
  public SimulatedCloudSpec getSimulated() { return simulated; }
  public void setSimulated(SimulatedCloudSpec simulated) { this.simulated = simulated; }
  @Size(max = 64)
  @JsonPropertyDescription("Instance types this Cloud offers with their prices per hour, CPUs and memory: the cost "
      + "model of TaskFarmService (its schedules and money spent).")
  private List<InstanceTypeSpec> instanceTypes;

  public List<InstanceTypeSpec> getInstanceTypes() { return instanceTypes; }
  public void setInstanceTypes(List<InstanceTypeSpec> instanceTypes) { this.instanceTypes = instanceTypes; }
  public List<String> getAllowedNamespaces() { return allowedNamespaces; }
  public void setAllowedNamespaces(List<String> allowedNamespaces) { this.allowedNamespaces = allowedNamespaces; }
  public List<String> getAllowedInstanceTypes() { return allowedInstanceTypes; }
  public void setAllowedInstanceTypes(List<String> allowedInstanceTypes) {
    this.allowedInstanceTypes = allowedInstanceTypes;
  }

  /** True when this Cloud is marked as the default one. */
  public boolean markedDefault() { return Boolean.TRUE.equals(defaultCloud); }
}
