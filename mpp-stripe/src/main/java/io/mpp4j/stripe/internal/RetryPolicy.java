package io.mpp4j.stripe.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how long one Stripe call is tried: at most {@code maxAttempts} attempts, waiting
 * {@code backoff} before the first retry and doubling after, all within {@code budget}. Each
 * attempt's timeouts are cut to what is left of the budget, so the whole call ends within about the
 * budget.
 *
 * <p>Immutable and thread-safe; {@link #start()} gives one call's mutable clock.
 *
 * @param maxAttempts attempts, the first included (1 to 10)
 * @param backoff wait before the first retry
 * @param budget bound on the whole call
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration budget) {
  /** No attempt starts with less than this left of the budget. */
  static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

  /** Validates. */
  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff == null");
    Objects.requireNonNull(budget, "budget == null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be positive, but was " + maxAttempts);
    }
  }

  /** Starts the clock of one call. */
  public Call start() {
    return new Call(System.nanoTime());
  }

  /** The clock of one call. Not thread-safe. */
  public final class Call {
    private final long startNanos;
    private int attempts;

    private Call(long startNanos) {
      this.startNanos = startNanos;
    }

    /** What is left of the budget. */
    public Duration left() {
      Duration spent = Duration.ofNanos(System.nanoTime() - startNanos);
      Duration left = budget.minus(spent);
      return left.isNegative() ? Duration.ZERO : left;
    }

    /** Attempts begun so far. */
    public int attempts() {
      return attempts;
    }

    /**
     * Waits as the policy asks before the next attempt, and tells whether it may begin: false when
     * the attempts are used up, the budget cannot cover the wait and a minimal attempt, or the
     * thread was interrupted (the interrupt flag is kept).
     */
    public boolean next() {
      if (attempts >= maxAttempts) {
        return false;
      }
      if (attempts > 0) {
        Duration wait = backoff.multipliedBy(1L << Math.min(attempts - 1, 10));
        if (left().compareTo(wait.plus(MIN_ATTEMPT)) < 0) {
          return false;
        }
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      if (left().compareTo(MIN_ATTEMPT) < 0) {
        return false;
      }
      attempts++;
      return true;
    }
  }
}
