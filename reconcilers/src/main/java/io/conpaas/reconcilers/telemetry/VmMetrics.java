package io.conpaas.reconcilers.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of what the operator did to VMs, per Cloud (served at /metrics). */
public final class VmMetrics {
  private final MeterRegistry registry;

  public VmMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void created(String cloud) {
    counter("conpaas.vm.creations", "VMs created", cloud).increment();
  }

  public void terminated(String cloud, int count) {
    counter("conpaas.vm.terminations", "VMs terminated", cloud).increment(count);
  }

  /** A VM that ran and died, or never answered, was replaced by a new one. */
  public void replaced(String cloud) {
    counter("conpaas.agent.replacements", "Agents moved to a new VM", cloud).increment();
  }

  /** An Agent gave up after agent.maxAttempts VMs. */
  public void failed(String cloud) {
    counter("conpaas.agent.failures", "Agents that gave up after maxAttempts", cloud).increment();
  }

  /** VMs tagged as ours that belonged to no Agent and were terminated by the sweep. */
  public void orphansTerminated(String cloud, int count) {
    counter("conpaas.vm.orphans.terminated", "Orphaned VMs terminated", cloud).increment(count);
  }

  private Counter counter(String name, String description, String cloud) {
    return Counter.builder(name).description(description).tag("cloud", cloud).register(registry);
  }
}
