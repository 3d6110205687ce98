package io.conpaas.reconcilers.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Gives JOSDK's reconcile timer (operator.sdk.controllers.execution.reconcile, tagged by
 * controller) histogram buckets, so latency quantiles per kind can be computed in Prometheus.
 */
public final class ReconcileHistograms {
  static final String RECONCILE_TIMER = "operator.sdk.controllers.execution.reconcile";

  private ReconcileHistograms() {}

  /** The filter to add to the registry before JOSDK registers its timers. */
  public static MeterFilter filter() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!RECONCILE_TIMER.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(seconds(0.005), seconds(0.01), seconds(0.025), seconds(0.05), seconds(0.1),
                seconds(0.25), seconds(0.5), seconds(1), seconds(2.5), seconds(5), seconds(10))
            .build().merge(config);
      }
    };
  }

  private static double seconds(double s) {
    return Duration.ofNanos((long) (s * 1e9)).toNanos();
  }
}
