package io.conpaas.operator.testing;

import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Passes calls to a real driver and remembers every instance it created and terminated. */
public final class CountingDriver implements IaasDriver {
  private final IaasDriver delegate;
  public final Set<String> created = ConcurrentHashMap.newKeySet();
  public final Set<String> terminated = ConcurrentHashMap.newKeySet();

  public CountingDriver(IaasDriver delegate) {
    this.delegate = delegate;
  }

  @Override
  public VmObservation create(VmRequest request) {
    VmObservation vm = delegate.create(request);
    created.add(vm.instanceId());
    return vm;
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return delegate.list(clusterId);
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    terminated.addAll(instanceIds);
    delegate.terminate(instanceIds);
  }

  @Override
  public void verify() {
    delegate.verify();
  }
}
