package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Settings of an Amazon EC2 (or EC2-compatible) cloud. */
public class Ec2CloudSpec {
  @JsonPropertyDescription("AWS region, e.g. eu-west-1.")
  @Required
  private String region;
  @JsonPropertyDescription("Endpoint override (an EC2-compatible API); empty for AWS itself.")
  private String endpoint;
  @JsonPropertyDescription("AMI holding the ConPaaS agent image.")
  @Required
  private String imageId;
  @JsonPropertyDescription("Default instance type of new VMs, e.g. t3.small.")
  @Required
  private String instanceType;
  @JsonPropertyDescription("Security groups attached to new VMs.")
  private List<String> securityGroupIds;
  @JsonPropertyDescription("Subnet of new VMs; empty for the default VPC subnet.")
  private String subnetId;
  @JsonPropertyDescription("SSH key pair name; empty for none.")
  private String keyName;

  public String getRegion() { return region; }
  public void setRegion(String region) { this.region = region; }
  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
  public String getImageId() { return imageId; }
  public void setImageId(String imageId) { this.imageId = imageId; }
  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
  public List<String> getSecurityGroupIds() { return securityGroupIds; }
  public void setSecurityGroupIds(List<String> securityGroupIds) { this.securityGroupIds = securityGroupIds; }
  public String getSubnetId() { return subnetId; }
  public void setSubnetId(String subnetId) { this.subnetId = subnetId; }
  public String getKeyName() { return keyName; }
  public void setKeyName(String keyName) { this.keyName = keyName; }
}
