package io.conpaas.reconcilers.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a forming launch batch closes (Karpenter's batching window): a short idle gap after the
 * last Agent joined, a hard limit after the first, or at once when full. Pure: the Agent
 * reconciler requeues for the answer's delay instead of waiting.
 */
public record BatchWindow(Duration idle, Duration max) {
  /**
   * Karpenter's defaults: 1 s without a new Agent, or 10 s after the first. Agents of one service
   * arrive over seconds (the service creates them one by one; a status conflict costs one a retry
   * of ~2 s), so a shorter idle gap splits them into several calls.
   */
  public static final BatchWindow DEFAULT = new BatchWindow(Duration.ofSeconds(1), Duration.ofSeconds(10));

  /** Empty when the batch closes now; otherwise how long it stays open. */
  public Optional<Duration> openFor(Instant opened, Instant lastJoin, int members, int maxBatch, Instant now) {
    if (members >= maxBatch) {
      return Optional.empty();
    }
    Instant closes = min(opened.plus(max), lastJoin.plus(idle));
    return now.isBefore(closes) ? Optional.of(Duration.between(now, closes)) : Optional.empty();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
