package io.conpaas.reconcilers.credits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Credit gauges per namespace (served at /metrics): granted, used, remaining, and low (1 when 10%
 * or less is left, the alerting threshold; 1 too when exhausted).
 */
public final class CreditMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  public CreditMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String namespace, CreditLedger.Figures figures) {
    set("conpaas.credits.granted", "Credits granted to the namespace", namespace, figures.credits());
    set("conpaas.credits.used", "Credits used (started VM-hours)", namespace, figures.used());
    set("conpaas.credits.remaining", "Credits left", namespace, figures.remaining());
    set("conpaas.credits.low", "1 when 10% or less of the credits is left or they are exhausted", namespace,
        figures.low() || figures.exhausted() ? 1 : 0);
  }

  private void set(String name, String description, String namespace, long value) {
    values.computeIfAbsent(name + "|" + namespace, k -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder(name, holder, AtomicLong::get).description(description).tag("namespace", namespace)
          .register(registry);
      return holder;
    }).set(value);
  }
}
