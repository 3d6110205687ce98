package io.conpaas.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What makes the operator unhealthy for its liveness probe: a watch that stopped for good
 * (JOSDK's informer event sources or the operator's own caches) means it no longer sees changes,
 * and only a restart brings it back. A pure function of what the running parts report.
 */
final class OperatorHealth {
  private OperatorHealth() {}

  /**
   * The problems, empty when healthy.
   *
   * @param unhealthyEventSources per controller, the names of its event sources JOSDK reports unhealthy
   * @param cacheRunning per cached kind, whether its informer still runs
   */
  static List<String> problems(Map<String, ? extends Map<String, ?>> unhealthyEventSources,
      Map<String, Boolean> cacheRunning) {
    List<String> problems = new ArrayList<>();
    unhealthyEventSources.forEach((controller, sources) -> {
      if (!sources.isEmpty()) {
        problems.add("controller " + controller + ": event sources not healthy: " + String.join(", ",
            sources.keySet()));
      }
    });
    cacheRunning.forEach((kind, running) -> {
      if (!running) {
        problems.add("cache of " + kind + " stopped");
      }
    });
    return problems;
  }
}
