package io.conpaas.plugin.doctor;

import java.time.Duration;
import java.time.Instant;

/** Whether a leader-election Lease shows a live leader, judged on the API server's clock. Pure. */
public final class LeaseHealth {
  private LeaseHealth() {}

  public static Finding judge(String lease, String holder, Instant renewed, Integer durationSeconds, Instant now) {
    String fix = "the operator is stopped or cannot reach the API server: kubectl -n "
        + lease.substring(0, lease.indexOf('/')) + " get pods; check its logs";
    if (holder == null || holder.isBlank() || renewed == null) {
      return Finding.fail("operator", "Lease " + lease + " has no holder: no operator replica leads", fix);
    }
    Duration age = Duration.between(renewed, now);
    Duration duration = Duration.ofSeconds(durationSeconds == null ? 15 : durationSeconds);
    String seen = "leader " + holder + " renewed Lease " + lease + " " + Math.max(0, age.toSeconds()) + " s ago";
    if (age.compareTo(duration) > 0) {
      return Finding.fail("operator", seen + " (lease duration " + duration.toSeconds() + " s): expired", fix);
    }
    return Finding.ok("operator", seen);
  }
}
