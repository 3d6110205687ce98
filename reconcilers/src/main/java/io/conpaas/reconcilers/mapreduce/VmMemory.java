package io.conpaas.reconcilers.mapreduce;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The memory of the VMs a Cloud gives a role, where the Cloud says it: local VMs
 * (spec.local.memoryMb), qemu (spec.qemu.memoryMb, default 512), OpenNebula
 * (spec.opennebula.memoryMb), EC2 for the smallest instance types by name. Empty: unknown. Pure.
 */
public final class VmMemory {
  /** What it is and which setting says so. */
  public record Size(int mib, String setting) {}

  private static final Map<String, Integer> EC2_SMALL = Map.of("t2.nano", 512, "t3.nano", 512, "t3a.nano", 512,
      "t4g.nano", 512, "t2.micro", 1024, "t3.micro", 1024, "t3a.micro", 1024, "t4g.micro", 1024);

  private VmMemory() {}

  /** The memory of a VM of instanceType (null: the Cloud's default) on cloud, when the Cloud says. */
  public static Optional<Size> of(Cloud cloud, String instanceType) {
    CloudSpec spec = cloud.getSpec();
    if (spec == null) {
      return Optional.empty();
    }
    if (spec.getLocal() != null && spec.getLocal().getMemoryMb() != null) {
      return Optional.of(new Size(spec.getLocal().getMemoryMb(), "spec.local.memoryMb"));
    }
    if (spec.getQemu() != null) {
      Integer mb = spec.getQemu().getMemoryMb();
      return Optional.of(new Size(mb == null ? 512 : mb, "spec.qemu.memoryMb"));
    }
    if (spec.getOpennebula() != null && spec.getOpennebula().getMemoryMb() != null) {
      return Optional.of(new Size(spec.getOpennebula().getMemoryMb(), "spec.opennebula.memoryMb"));
    }
    if (spec.getEc2() != null) {
      String type = instanceType != null && !instanceType.isBlank() ? instanceType : spec.getEc2().getInstanceType();
      return Optional.ofNullable(type).map(EC2_SMALL::get).map(mb -> new Size(mb, "instance type " + type));
    }
    return Optional.empty();
  }
}
