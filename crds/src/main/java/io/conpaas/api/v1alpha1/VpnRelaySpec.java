package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Where an application's operator-run VPN relay runs (Application spec.vpn.relay). */
public class VpnRelaySpec {
  /** The relay's UDP port when spec.vpn.relay.port is unset. */
  public static final int DEFAULT_PORT = 51821;

  @Required
  @JsonPropertyDescription("The Cloud that runs the relay VM; every other Cloud of the application must reach it.")
  private String cloud;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("UDP port the relay listens on (default 51821; open it in the Cloud's firewall).")
  private Integer port;

  @JsonPropertyDescription("Instance type of the relay VM; unset means the Cloud's default.")
  private String instanceType;

  public String getCloud() { return cloud; }
  public void setCloud(String cloud) { this.cloud = cloud; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }

  /** The port to use: the one set, else {@link #DEFAULT_PORT}. */
  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }
}
