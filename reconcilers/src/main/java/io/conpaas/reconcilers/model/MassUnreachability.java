package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Cluster API's maxUnhealthy for one Cloud: when more than maxShare of its agents (those whose VM
 * ran) stopped answering within one window of each other, the operator's own network is the
 * likelier culprit than that many VMs, so none of them is replaced. Computed from the Agents'
 * recorded status.unreachableSince, never from memory. A lone silent agent is never a network
 * suspicion. Pure.
 */
public final class MassUnreachability {
  /** The count and whether the Cloud holds replacements; message says so for status and events. */
  public record Assessment(int unreachable, int total, boolean held, String message) {}

  private MassUnreachability() {}

  public static Assessment assess(String cloud, Collection<Agent> agents, double maxShare, Duration window) {
    List<Agent> counted = agents.stream()
        .filter(a -> cloud.equals(a.getSpec() == null ? null : a.getSpec().getCloud()))
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null && a.getStatus() != null)
        .filter(a -> a.getStatus().getInstanceId() != null)
        .filter(a -> a.getStatus().getPhase() == AgentPhase.Running
            || a.getStatus().getPhase() == AgentPhase.Configuring)
        .toList();
    List<Instant> silentSince = counted.stream().map(a -> since(a.getStatus().getUnreachableSince()))
        .filter(Objects::nonNull).sorted().toList();
    int total = counted.size();
    // The largest group of agents that went silent within one window of each other.
    int group = 0;
    Instant first = null;
    for (int lo = 0, hi = 0; hi < silentSince.size(); hi++) {
      while (Duration.between(silentSince.get(lo), silentSince.get(hi)).compareTo(window) > 0) {
        lo++;
      }
      if (hi - lo + 1 > group) {
        group = hi - lo + 1;
        first = silentSince.get(lo);
      }
    }
    boolean held = group >= 2 && group > maxShare * total;
    String message = held
        ? group + " of " + total + " agents on Cloud " + cloud + " stopped answering within " + window.toSeconds()
            + "s of each other (the first at " + first + "); the operator's own network is suspect, so none is "
            + "replaced until they answer again"
        : silentSince.size() + " of " + total + " agents on Cloud " + cloud + " unreachable";
    return new Assessment(silentSince.size(), total, held, message);
  }

  private static Instant since(String s) {
    try {
      return s == null || s.isBlank() ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
