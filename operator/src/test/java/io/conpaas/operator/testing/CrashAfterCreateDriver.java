package io.conpaas.operator.testing;

import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The test hook for "the operator died after the cloud made the VM but before its id reached
 * status": the first create really happens, then this driver (and every later call) hangs
 * until released and throws, as if the process were gone.
 */
public final class CrashAfterCreateDriver implements IaasDriver {
  private final IaasDriver delegate;
  public final CountDownLatch created = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);

  public CrashAfterCreateDriver(IaasDriver delegate) {
    this.delegate = delegate;
  }

  @Override
  public VmObservation create(VmRequest request) {
    if (created.getCount() == 0) {
      die();
    }
    delegate.create(request);
    created.countDown();
    return die();
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return created.getCount() == 0 ? die() : delegate.list(clusterId);
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
