package io.conpaas.reconcilers.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

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

  /** A new VM's agent answered and runs its configuration: how long since the VM was created. */
  public void booted(String cloud, Duration sinceCreated) {
    bootTimer(cloud).record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
  }

  /**
   * Registers a Cloud's counters and boot histogram at zero, so that rates and alerts on them
   * have a series (0) before the first event instead of none.
   */
  public void initialise(String cloud) {
    counter("conpaas.vm.creations", "VMs created", cloud);
    counter("conpaas.vm.terminations", "VMs terminated", cloud);
    counter("conpaas.agent.replacements", "Agents moved to a new VM", cloud);
    counter("conpaas.agent.failures", "Agents that gave up after maxAttempts", cloud);
    counter("conpaas.vm.orphans.terminated", "Orphaned VMs terminated", cloud);
    bootTimer(cloud);
  }

  private Timer bootTimer(String cloud) {
    // Fixed buckets from a local process (seconds) to a slow cloud VM (minutes).
    return Timer.builder("conpaas.vm.boot").description("VM created to agent Running")
        .serviceLevelObjectives(BOOT_BUCKETS).tag("cloud", cloud).register(registry);
  }

  private static final Duration[] BOOT_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
      Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
      Duration.ofMinutes(20)};

  private Counter counter(String name, String description, String cloud) {
    return Counter.builder(name).description(description).tag("cloud", cloud).register(registry);
  }
}
