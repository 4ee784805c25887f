package io.mpp4j.spi;

/**
 * What the application delivered for a paid request, as the framework adapter saw it once the
 * response was done: the value a deferred {@link Settlement} completes with.
 *
 * <p>{@code delivered} is the capture rule: true exactly when a 2xx response carrying the receipt
 * was sent (or is about to be sent by the container). {@code status} is the final HTTP status the
 * adapter observed, for reports and logs; it never overrides {@code delivered}. {@code units} is
 * how many units of the resource the request consumed, for metering: 1 for a delivered plain charge
 * and 0 for an undelivered one unless the application reported its own count. A charge ignores it;
 * a metered intent bills by it.
 *
 * @param delivered whether the paid content was delivered (a 2xx with the receipt)
 * @param status the final HTTP status, 100 to 599
 * @param units the units consumed, not negative
 */
public record Delivery(boolean delivered, int status, long units) {
  /** The units of a delivered request when the application reported none. */
  public static final long DEFAULT_UNITS = 1;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the status is not 100 to 599 or the units are negative
   */
  public Delivery {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100 to 599, but was " + status);
    }
    if (units < 0) {
      throw new IllegalArgumentException("units must not be negative, but was " + units);
    }
  }

  /**
   * A delivered response with the default units ({@value #DEFAULT_UNITS}).
   *
   * @param status the final status (a 2xx)
   */
  public static Delivery success(int status) {
    return new Delivery(true, status, DEFAULT_UNITS);
  }

  /**
   * A response that did not deliver the paid content (an error, a redirect, a failure before
   * anything was sent), with no units consumed.
   *
   * @param status the final status
   */
  public static Delivery failure(int status) {
    return new Delivery(false, status, 0);
  }

  /** This delivery with another count of units consumed (not negative). */
  public Delivery withUnits(long newUnits) {
    return new Delivery(delivered, status, newUnits);
  }
}
