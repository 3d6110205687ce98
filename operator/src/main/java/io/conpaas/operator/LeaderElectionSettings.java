package io.conpaas.operator;

import java.time.Duration;

/**
 * Leader election between operator replicas (a Lease in the operator's namespace): only the
 * holder reconciles. exitOnLoss ends the process when leadership is lost, so that a pod restarts
 * clean instead of reconciling beside the new leader.
 */
public record LeaderElectionSettings(boolean enabled, String leaseName, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, boolean exitOnLoss) {

  /** No leader election: a single replica reconciles. */
  public static LeaderElectionSettings disabled() {
    return new LeaderElectionSettings(false, "conpaas-operator", "", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2), true);
  }
}
