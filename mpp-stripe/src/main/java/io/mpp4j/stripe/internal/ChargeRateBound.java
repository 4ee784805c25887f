package io.mpp4j.stripe.internal;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket on PaymentIntent creates: at most {@code perSecond} a second on average, with
 * bursts of up to {@code perSecond}. Each verification that would call Stripe takes one permit
 * before anything is claimed or sent; its retries of the same call do not take more (they are
 * bounded by the retry policy). Without a permit the attempt is answered as a retriable outage and
 * nothing reaches Stripe, so a flood of junk tokens cannot spend the merchant's Stripe rate limit.
 *
 * <p>It is global to the method instance: nothing the gate sees at this point identifies a client
 * (the credential's {@code source} and any forwarding header are chosen by the client), so a
 * per-client bound belongs in front of the application, where the peer address is known.
 *
 * <p>Thread-safe.
 */
public final class ChargeRateBound {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int perSecond;
  private final long nanosPerPermit;
  private final LongSupplier nanoTime;
  private long availableAtNanos; // guarded by this: when the bucket is empty (permits are later)

  /**
   * Creates the bound.
   *
   * @param perSecond permits a second, also the burst (1 to 10,000)
   * @param nanoTime the monotonic time source ({@code System::nanoTime})
   * @throws IllegalArgumentException when {@code perSecond} is out of range
   */
  public ChargeRateBound(int perSecond, LongSupplier nanoTime) {
    if (perSecond < 1 || perSecond > 10_000) {
      throw new IllegalArgumentException(
          "perSecond must be between 1 and 10000, but was " + perSecond);
    }
    this.perSecond = perSecond;
    this.nanosPerPermit = NANOS_PER_SECOND / perSecond;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime == null");
    this.availableAtNanos = nanoTime.getAsLong() - NANOS_PER_SECOND; // starts full
  }

  /** Takes a permit if one is available now. */
  public synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long burstStart = now - perSecond * nanosPerPermit; // a full bucket is never fuller
    long from = availableAtNanos - burstStart < 0 ? burstStart : availableAtNanos;
    long next = from + nanosPerPermit;
    if (next - now > 0) {
      return false;
    }
    availableAtNanos = next;
    return true;
  }

  /** The permits a second. */
  public int perSecond() {
    return perSecond;
  }
}
