package io.conpaas.reconcilers.telemetry;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A driver that counts and times every call of the driver it wraps, for one Cloud. */
public final class MeteredDriver implements IaasDriver, AutoCloseable {
  private final IaasDriver driver;
  private final String cloud;
  private final CloudApiMetrics metrics;

  public MeteredDriver(IaasDriver driver, String cloud, CloudApiMetrics metrics) {
    this.driver = driver;
    this.cloud = cloud;
    this.metrics = metrics;
    metrics.initialise(cloud);
  }

  @Override
  public VmObservation create(VmRequest request) {
    return call("create", () -> driver.create(request));
  }

  /** Not a cloud call: the wrapped driver's batch size. */
  @Override
  public int maxBatch() {
    return driver.maxBatch();
  }

  @Override
  public List<VmObservation> createBatch(BatchRequest request) {
    return call("createBatch", () -> driver.createBatch(request));
  }

  @Override
  public void label(String instanceId, Map<String, String> tags) {
    call("label", () -> {
      driver.label(instanceId, tags);
      return null;
    });
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return call("list", () -> driver.list(clusterId));
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    call("terminate", () -> {
      driver.terminate(instanceIds);
      return null;
    });
  }

  @Override
  public void verify() {
    call("verify", () -> {
      driver.verify();
      return null;
    });
  }

  /** The wrapped driver (tests and callers that need its own type). */
  /** Not a cloud call: the wrapped driver's note (e.g. the qemu Cloud's accelerator), unmetered. */
  @Override
  public String statusNote() {
    return driver.statusNote();
  }

  @Override
  public java.util.List<String> underlayNetworks() {
    return driver.underlayNetworks();
  }

  public IaasDriver unwrap() {
    return driver;
  }

  @Override
  public void close() throws Exception {
    if (driver instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private <T> T call(String api, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      T result = work.get();
      metrics.succeeded(cloud, api, Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (RuntimeException e) {
      metrics.failed(cloud, api, Duration.ofNanos(System.nanoTime() - start), e);
      throw e;
    }
  }
}
