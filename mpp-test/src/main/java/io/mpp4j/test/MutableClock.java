package io.mpp4j.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC {@link Clock} that a test sets and advances by hand, for expiry and TTL tests:
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * PaymentGate gate = PaymentGate.builder()...clock(clock).build();
 * clock.advance(Duration.ofMinutes(6));   // every challenge issued before has expired
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  private MutableClock(Instant now) {
    this.now = now;
  }

  /** A clock showing {@code instant}. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(Objects.requireNonNull(instant, "instant == null"));
  }

  /** A clock showing the current time (then standing still). */
  public static MutableClock ofNow() {
    return at(Instant.now());
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public void advance(Duration duration) {
    now = now.plus(Objects.requireNonNull(duration, "duration == null"));
  }

  /** Sets the clock. */
  public void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant == null");
  }

  @Override
  public ZoneId getZone() {
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
