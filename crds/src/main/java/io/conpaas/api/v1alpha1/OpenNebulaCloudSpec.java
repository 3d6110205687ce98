package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Min;

/** Settings of an OpenNebula cloud, reached over its XML-RPC API. */
public class OpenNebulaCloudSpec {
  @JsonPropertyDescription("XML-RPC endpoint, e.g. https://one.example:2633/RPC2.")
  @Required
  private String endpoint;
  @Min(0)
  @JsonPropertyDescription("Template instantiated for new VMs.")
  private Integer templateId;
  @Min(0)
  @JsonPropertyDescription("Image (disk) of new VMs when no template is given.")
  private Integer imageId;
  @Min(0)
  @JsonPropertyDescription("Virtual network of new VMs.")
  private Integer networkId;
  @Min(0)
  @JsonPropertyDescription("CPUs of new VMs.")
  private Double cpu;
  @Min(1)
  @JsonPropertyDescription("Memory of new VMs in MiB.")
  private Integer memoryMb;

  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
  public Integer getTemplateId() { return templateId; }
  public void setTemplateId(Integer templateId) { this.templateId = templateId; }
  public Integer getImageId() { return imageId; }
  public void setImageId(Integer imageId) { this.imageId = imageId; }
  public Integer getNetworkId() { return networkId; }
  public void setNetworkId(Integer networkId) { this.networkId = networkId; }
  public Double getCpu() { return cpu; }
  public void setCpu(Double cpu) { this.cpu = cpu; }
  public Integer getMemoryMb() { return memoryMb; }
  public void setMemoryMb(Integer memoryMb) { this.memoryMb = memoryMb; }
}
