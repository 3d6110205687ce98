package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Settings of the qemu cloud: each VM is a qemu process on the operator's host booting the agent image. */
public class QemuCloudSpec {
  @Required
  @JsonPropertyDescription("Path of the agent VM image on the operator's host (qcow2 or raw, built by "
      + "vm-image/build.sh). Each VM boots a copy-on-write overlay of it.")
  private String image;

  @Min(256)
  @Max(65536)
  @JsonPropertyDescription("Memory of each VM in MiB (default 512).")
  private Integer memoryMb;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Virtual CPUs of each VM (default 1).")
  private Integer cpus;

  @Pattern("^(user|bridge)$")
  @JsonPropertyDescription("Network mode: user (default): qemu user networking, the guest reaches nothing "
      + "outside and the operator reaches its agent through a port forwarded from 127.0.0.1. bridge: the same, "
      + "plus a private network among the Cloud's VMs (10.77.0.0/16 on a bridge inside a network namespace the "
      + "Cloud makes, removed with its last VM; needs root and 'allow cpqbr0' in /etc/qemu/bridge.conf).")
  private String network;

  @Pattern("^(auto|kvm|tcg)$")
  @JsonPropertyDescription("auto (default): KVM when a bounded probe finds /dev/kvm working (a test guest boots "
      + "within 3 s and faster than emulation), else TCG; kvm or tcg: that one, unprobed. The Cloud's Ready "
      + "message says which is used.")
  private String accelerator;

  public String getAccelerator() { return accelerator; }
  public void setAccelerator(String accelerator) { this.accelerator = accelerator; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public Integer getMemoryMb() { return memoryMb; }
  public void setMemoryMb(Integer memoryMb) { this.memoryMb = memoryMb; }
  public Integer getCpus() { return cpus; }
  public void setCpus(Integer cpus) { this.cpus = cpus; }
  public String getNetwork() { return network; }
  public void setNetwork(String network) { this.network = network; }
}
