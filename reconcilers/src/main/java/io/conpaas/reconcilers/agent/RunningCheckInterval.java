package io.conpaas.reconcilers.agent;

import java.time.Duration;

/**
 * When a Running agent is checked next: agent.runningResync, stretched so that all the operator's
 * agents together get at most MAX_CHECKS_PER_SECOND checks a second (each check is a TLS handshake and
 * a call: 1,000 agents every 5 s were 200 a second), and spread by +-10 % so that agents started
 * together do not stay in step.
 */
final class RunningCheckInterval {
  /** Liveness checks per second for the whole operator: 2,000 agents are still checked every 40 s. */
  static final double MAX_CHECKS_PER_SECOND = 50;

  private RunningCheckInterval() {}

  /** random: uniform in [0, 1). */
  static Duration of(Duration runningResync, int agents, double random) {
    double spread = agents / MAX_CHECKS_PER_SECOND;
    double seconds = Math.max(runningResync.toMillis() / 1000.0, spread);
    return Duration.ofMillis(Math.round(seconds * 1000 * (0.9 + 0.2 * random)));
  }
}
