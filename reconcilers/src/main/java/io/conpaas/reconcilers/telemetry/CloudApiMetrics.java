package io.conpaas.reconcilers.telemetry;

import io.conpaas.iaas.CloudException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;

/**
 * Calls to cloud APIs per Cloud and API (create, list, terminate, verify): all calls with their
 * duration, the failed ones, and among those the ones the cloud throttled (served at /metrics).
 */
public final class CloudApiMetrics {
  /** The APIs of {@link io.conpaas.iaas.IaasDriver}, as the api tag names them. */
  public static final Set<String> APIS = Set.of("create", "createBatch", "label", "list", "terminate", "verify");

  private final MeterRegistry registry;

  public CloudApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers a Cloud's series at zero, so that error and throttle rates read 0 rather than nothing. */
  public void initialise(String cloud) {
    for (String api : APIS) {
      timer(cloud, api);
      errors(cloud, api);
      throttles(cloud, api);
    }
  }

  public void succeeded(String cloud, String api, Duration took) {
    timer(cloud, api).record(took);
  }

  public void failed(String cloud, String api, Duration took, RuntimeException e) {
    timer(cloud, api).record(took);
    errors(cloud, api).increment();
    if (isThrottle(e)) {
      throttles(cloud, api).increment();
    }
  }

  static boolean isThrottle(RuntimeException e) {
    return e instanceof CloudException c && c.throttled();
  }

  private Timer timer(String cloud, String api) {
    return Timer.builder("conpaas.cloud.api.calls").description("Cloud API calls and their duration")
        .tag("cloud", cloud).tag("api", api).register(registry);
  }

  private Counter errors(String cloud, String api) {
    return Counter.builder("conpaas.cloud.api.errors").description("Cloud API calls that failed")
        .tag("cloud", cloud).tag("api", api).register(registry);
  }

  private Counter throttles(String cloud, String api) {
    return Counter.builder("conpaas.cloud.api.throttles").description("Cloud API calls the cloud throttled")
        .tag("cloud", cloud).tag("api", api).register(registry);
  }
}
