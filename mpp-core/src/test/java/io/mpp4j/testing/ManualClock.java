package io.mpp4j.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock mpp-core's own tests move by hand (mpp-core cannot use mpp-test's {@code
 * MutableClock}: that module depends on this one).
 */
public final class ManualClock extends Clock {
  /** The current instant; tests assign it directly. */
  public volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** Moves the clock. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneOffset getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
