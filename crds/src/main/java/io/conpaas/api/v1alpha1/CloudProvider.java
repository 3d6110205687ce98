package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of infrastructure a Cloud can be (ConPaaS director.cfg [iaas] DRIVER). */
public enum CloudProvider {
  @JsonProperty("local") LOCAL,
  @JsonProperty("ec2") EC2,
  @JsonProperty("opennebula") OPENNEBULA,
  @JsonProperty("qemu") QEMU,
  @JsonProperty("simulated") SIMULATED
}
