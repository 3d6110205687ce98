package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Desired state of one agent VM, written by the service reconciler. */
public class AgentSpec {
  @Required
  @JsonPropertyDescription("Role the agent plays in its service, e.g. backend.")
  private String role;
  @JsonPropertyDescription("Kind of the owning service, e.g. HelloWorldService.")
  private String serviceKind;
  @Required
  @JsonPropertyDescription("Cloud the VM runs on.")
  private String cloud;
  @JsonPropertyDescription("Instance type of the VM; unset means the Cloud's default.")
  private String instanceType;
  @JsonPropertyDescription("Role configuration the agent must run (pushed by the operator).")
  private Map<String, String> config = new TreeMap<>();

  @JsonPropertyDescription("Code versions the agent must hold before its configuration is pushed (web and "
      + "backend roles), copied from the service's stored versions.")
  private List<String> codeVersions = new ArrayList<>();

  @JsonPropertyDescription("Secret (same namespace) whose credentials the operator sends the agent over mutual "
      + "TLS before configuring it (MySQL roles); never part of config.")
  private String credentialsSecret;

  @JsonPropertyDescription("Its data lives only on its VM (a MySQL master): a lost VM is not silently replaced "
      + "by an empty one; the Agent fails and its service says so.")
  private Boolean stateful;

  @JsonPropertyDescription("The agent's place in its application's private network (set at creation, never changed).")
  private AgentVpnSpec vpn;

  public AgentVpnSpec getVpn() { return vpn; }
  public void setVpn(AgentVpnSpec vpn) { this.vpn = vpn; }
  public Boolean getStateful() { return stateful; }
  public void setStateful(Boolean stateful) { this.stateful = stateful; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
  public List<String> getCodeVersions() { return codeVersions; }
  public void setCodeVersions(List<String> codeVersions) { this.codeVersions = codeVersions; }
  public String getRole() { return role; }
  public void setRole(String role) { this.role = role; }
  public String getServiceKind() { return serviceKind; }
  public void setServiceKind(String serviceKind) { this.serviceKind = serviceKind; }
  public String getCloud() { return cloud; }
  public void setCloud(String cloud) { this.cloud = cloud; }
  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
  public Map<String, String> getConfig() { return config; }
  public void setConfig(Map<String, String> config) { this.config = config; }
}
