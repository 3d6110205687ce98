package io.conpaas.operator.faults;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** An IaasDriver whose writes (create, createBatch, terminate, label) pass the crash hooks; reads pass through. */
public final class CrashingDriver implements IaasDriver {
  private final IaasDriver inner;
  private final CrashHooks hooks;

  public CrashingDriver(IaasDriver inner, CrashHooks hooks) {
    this.inner = inner;
    this.hooks = hooks;
  }

  @Override
  public VmObservation create(VmRequest request) {
    String what = "create " + request.clientToken();
    hooks.beforeWrite(WriteKind.CLOUD, what);
    try {
      return inner.create(request);
    } finally {
      hooks.afterWrite(WriteKind.CLOUD, what);
    }
  }

  @Override
  public List<VmObservation> createBatch(BatchRequest request) {
    String what = "createBatch " + request.batchToken() + " x" + request.count();
    hooks.beforeWrite(WriteKind.CLOUD, what);
    try {
      return inner.createBatch(request);
    } finally {
      hooks.afterWrite(WriteKind.CLOUD, what);
    }
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    String what = "terminate " + instanceIds;
    hooks.beforeWrite(WriteKind.CLOUD, what);
    try {
      inner.terminate(instanceIds);
    } finally {
      hooks.afterWrite(WriteKind.CLOUD, what);
    }
  }

  @Override
  public void label(String instanceId, Map<String, String> tags) {
    String what = "label " + instanceId;
    hooks.beforeWrite(WriteKind.CLOUD, what);
    try {
      inner.label(instanceId, tags);
    } finally {
      hooks.afterWrite(WriteKind.CLOUD, what);
    }
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return inner.list(clusterId);
  }

  @Override
  public void verify() {
    inner.verify();
  }

  @Override
  public int maxBatch() {
    return inner.maxBatch();
  }

  @Override
  public String statusNote() {
    return inner.statusNote();
  }

  @Override
  public List<String> underlayNetworks() {
    return inner.underlayNetworks();
  }
}
