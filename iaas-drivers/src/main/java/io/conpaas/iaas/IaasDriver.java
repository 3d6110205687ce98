package io.conpaas.iaas;

import java.util.Collection;
import java.util.List;

/**
 * The narrow, idempotent interface every cloud implements. Drivers take plain VM requests and
 * return observations; they know no custom resource and write nothing to Kubernetes.
 */
public interface IaasDriver {
  /**
   * Starts a VM, or returns the one already started with the same client token, so that a call
   * repeated after a crash never makes a second VM.
   */
  VmObservation create(VmRequest request);

  /** Every VM of this cloud that carries the given cluster id, in one bulk call. */
  List<VmObservation> list(String clusterId);

  /** Releases the VMs (bulk; ids already gone are ignored). */
  void terminate(Collection<String> instanceIds);

  /**
   * Checks that the cloud answers and accepts the credentials (a cheap read-only call), for
   * the Cloud's Ready condition; throws a CloudException whose reason says what is wrong.
   */
  void verify();

  /** A note for the Cloud's Ready message (e.g. which accelerator qemu uses), or null. */
  default String statusNote() {
    return null;
  }

  /**
   * The IPv4 networks (CIDRs) this cloud's VMs live on, where the driver knows them (a local Cloud's
   * underlay): a VPN block must not overlap them. Empty when unknown.
   */
  default java.util.List<String> underlayNetworks() {
    return java.util.List.of();
  }
}
