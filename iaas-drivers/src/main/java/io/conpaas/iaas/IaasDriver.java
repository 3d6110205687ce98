package io.conpaas.iaas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * How many VMs one {@link #createBatch} call may start; 1 (the default) means the cloud gains
   * nothing from batches and the operator creates VMs one by one.
   */
  default int maxBatch() {
    return 1;
  }

  /**
   * Starts up to request.count() VMs at once, or returns the live ones the batch token already
   * started (so a repeated call after a crash or a throttled answer never doubles a VM). May return
   * fewer than asked (partial fulfilment) but never more, each tagged with the batch token and its
   * {@link VmTags#LAUNCH_INDEX}; throws when it started none. The default starts them one by one
   * with per-slot client tokens and stops at the first failure.
   */
  default List<VmObservation> createBatch(BatchRequest request) {
    List<VmObservation> vms = new ArrayList<>();
    for (int i = 0; i < request.count(); i++) {
      Map<String, String> tags = new LinkedHashMap<>(request.tags());
      tags.put(VmTags.LAUNCH_BATCH, request.batchToken());
      tags.put(VmTags.LAUNCH_INDEX, Integer.toString(i));
      try {
        vms.add(create(new VmRequest(request.slotToken(i), request.name() + "-" + i, tags, request.instanceType(),
            request.contextualization())));
      } catch (CloudException e) {
        if (vms.isEmpty()) {
          throw e;
        }
        break;
      }
    }
    return vms;
  }

  /**
   * Adds tags to a VM after launch (a batch's VM gets its Agent's tags once bound). Idempotent;
   * the default does nothing (clouds whose VMs got their tags at create).
   */
  default void label(String instanceId, Map<String, String> tags) {}

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
