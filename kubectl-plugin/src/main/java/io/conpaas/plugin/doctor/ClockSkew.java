package io.conpaas.plugin.doctor;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The difference between this machine's clock and the API server's, from the server's HTTP Date header
 * (whole seconds) and the local times before and after the request. Pure.
 */
public final class ClockSkew {
  private ClockSkew() {}

  /**
   * Server minus local time: the Date header truncates to the second, so the server's time is taken as the
   * middle of that second; the local time as the middle of the request.
   */
  public static Duration of(String dateHeader, Instant sentAt, Instant receivedAt) {
    Instant server = ZonedDateTime.parse(dateHeader, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
        .plusMillis(500);
    Instant local = sentAt.plus(Duration.between(sentAt, receivedAt).dividedBy(2));
    return Duration.between(local, server);
  }

  /** The finding for a measured skew: FAIL beyond max (the measurement is good to about a second). */
  public static Finding judge(Duration skew, Duration max, Duration roundTrip) {
    String seen = String.format("this machine is %.1f s %s the API server (round trip %d ms)",
        Math.abs(skew.toMillis()) / 1000.0, skew.isNegative() ? "ahead of" : "behind", roundTrip.toMillis());
    if (skew.abs().compareTo(max) > 0) {
      return Finding.fail("clock skew", seen + "; more than " + max.toSeconds() + " s",
          "synchronise the clocks (e.g. timedatectl set-ntp true, or chronyc makestep) on this machine and the "
              + "control plane");
    }
    return Finding.ok("clock skew", seen);
  }
}
