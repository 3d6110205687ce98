package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What a MySQL service's users need to connect, and how replication is doing. */
public class MysqlStatus {
  @JsonPropertyDescription("The Secret (same namespace, key `password`) holding the password of user mysqladb; "
      + "the password itself is never in status.")
  private String passwordSecret;
  @JsonPropertyDescription("resourceVersion of the password Secret the agents are to use (changes on a reset).")
  private String credentialsVersion;
  @JsonPropertyDescription("The user to connect as.")
  private String user;
  @JsonPropertyDescription("Replication of each ready slave.")
  private List<ReplicaStatus> replicas = new ArrayList<>();

  @JsonPropertyDescription("The master's address in its application's private network (when the application has "
      + "spec.vpn.enabled): that application's PHP backends connect there.")
  private String vpnAddress;

  public String getVpnAddress() { return vpnAddress; }
  public void setVpnAddress(String vpnAddress) { this.vpnAddress = vpnAddress; }
  public String getPasswordSecret() { return passwordSecret; }
  public void setPasswordSecret(String passwordSecret) { this.passwordSecret = passwordSecret; }
  public String getCredentialsVersion() { return credentialsVersion; }
  public void setCredentialsVersion(String credentialsVersion) { this.credentialsVersion = credentialsVersion; }
  public String getUser() { return user; }
  public void setUser(String user) { this.user = user; }
  public List<ReplicaStatus> getReplicas() { return replicas; }
  public void setReplicas(List<ReplicaStatus> replicas) { this.replicas = replicas; }
}
