package io.conpaas.operator.testing;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A real driver behind a switch: while down, every call fails as an unreachable cloud does. */
public final class SwitchableDriver implements IaasDriver {
  private final IaasDriver delegate;
  public final AtomicBoolean down = new AtomicBoolean();
  /** Calls refused while down. */
  public final AtomicInteger refused = new AtomicInteger();

  public SwitchableDriver(IaasDriver delegate) {
    this.delegate = delegate;
  }

  private void check() {
    if (down.get()) {
      refused.incrementAndGet();
      throw new CloudException("Unreachable", "connect timed out (test switch)", true);
    }
  }

  @Override
  public VmObservation create(VmRequest request) {
    check();
    return delegate.create(request);
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    check();
    return delegate.list(clusterId);
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    check();
    delegate.terminate(instanceIds);
  }

  @Override
  public void verify() {
    check();
    delegate.verify();
  }
}
