package io.conpaas.operator.testing;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The test hook for "the operator died after the cloud started a batch but before any of its VMs
 * was bound to an Agent": the first batch call really happens, then this driver (and every later
 * call) hangs until released and throws, as if the process were gone.
 */
public final class CrashAfterBatchDriver implements IaasDriver {
  private final IaasDriver delegate;
  public final CountDownLatch launched = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);
  public volatile List<VmObservation> started = List.of();
  private final java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean();

  public CrashAfterBatchDriver(IaasDriver delegate) {
    this.delegate = delegate;
  }

  @Override
  public int maxBatch() {
    return delegate.maxBatch();
  }

  @Override
  public List<VmObservation> createBatch(BatchRequest request) {
    if (!first.compareAndSet(false, true)) {
      // Only one batch reaches the cloud: the process is "gone" from the moment it started.
      die();
    }
    started = delegate.createBatch(request);
    launched.countDown();
    return die();
  }

  @Override
  public VmObservation create(VmRequest request) {
    return first.get() ? die() : delegate.create(request);
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return first.get() ? die() : delegate.list(clusterId);
  }

  @Override
  public void label(String instanceId, Map<String, String> tags) {
    die();
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    die();
  }

  private <T> T die() {
    try {
      release.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("simulated operator crash");
  }

  @Override
  public void verify() {
    delegate.verify();
  }
}
