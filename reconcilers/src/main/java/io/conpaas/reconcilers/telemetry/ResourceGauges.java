package io.conpaas.reconcilers.telemetry;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Gauges read from the informer caches when /metrics is scraped (no API call): Agents per Cloud
 * and phase (every phase of every known Cloud, zeros included) and whether each Cloud is Ready.
 */
public final class ResourceGauges {
  private final Supplier<List<Cloud>> clouds;
  private final Supplier<List<Agent>> agents;
  private final VmMetrics vmMetrics;
  private final MultiGauge agentsByPhase;
  private final MultiGauge cloudReady;

  public ResourceGauges(MeterRegistry registry, Supplier<List<Cloud>> clouds, Supplier<List<Agent>> agents,
      VmMetrics vmMetrics) {
    this.clouds = clouds;
    this.agents = agents;
    this.vmMetrics = vmMetrics;
    this.agentsByPhase = MultiGauge.builder("conpaas.agents").description("Agents per Cloud and phase")
        .register(registry);
    this.cloudReady = MultiGauge.builder("conpaas.cloud.ready")
        .description("1 when the Cloud's Ready condition is True, else 0").register(registry);
  }

  /** Recomputes the gauges from the caches; called before each scrape. */
  public void refresh() {
    List<Cloud> known = clouds.get();
    List<MultiGauge.Row<?>> ready = new ArrayList<>();
    for (Cloud cloud : known) {
      String name = cloud.getMetadata().getName();
      vmMetrics.initialise(name);
      ready.add(MultiGauge.Row.of(Tags.of("cloud", name), ready(cloud) ? 1 : 0));
    }
    cloudReady.register(ready, true);
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    count(known, agents.get()).forEach((key, n) ->
        rows.add(MultiGauge.Row.of(Tags.of("cloud", key.cloud(), "phase", key.phase()), n)));
    agentsByPhase.register(rows, true);
  }

  /** One (cloud, phase) pair. */
  record Key(String cloud, String phase) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return (cloud + "/" + phase).compareTo(o.cloud + "/" + o.phase);
    }
  }

  /**
   * Agents per (cloud, phase): every phase of every known Cloud (0 when none), plus the pairs of
   * Agents on Clouds not (yet) cached. An Agent without a phase yet counts as Pending.
   */
  static Map<Key, Long> count(List<Cloud> known, List<Agent> all) {
    Map<Key, Long> counts = new TreeMap<>();
    for (Cloud cloud : known) {
      for (AgentPhase phase : AgentPhase.values()) {
        counts.put(new Key(cloud.getMetadata().getName(), phase.name()), 0L);
      }
    }
    for (Agent agent : all) {
      if (agent.getSpec() == null || agent.getSpec().getCloud() == null) {
        continue;
      }
      AgentPhase phase = agent.getStatus() == null || agent.getStatus().getPhase() == null ? AgentPhase.Pending
          : agent.getStatus().getPhase();
      counts.merge(new Key(agent.getSpec().getCloud(), phase.name()), 1L, Long::sum);
    }
    return counts;
  }

  static boolean ready(Cloud cloud) {
    return cloud.getStatus() != null && cloud.getStatus().getConditions() != null
        && cloud.getStatus().getConditions().stream()
            .anyMatch(c -> ConditionTypes.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
