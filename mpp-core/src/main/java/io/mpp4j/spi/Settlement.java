package io.mpp4j.spi;

/**
 * A settlement step a payment method defers until the application has answered, for methods that
 * authorize first and capture later. The adapter calls {@link #complete(boolean)} exactly once
 * after the application handler ran: with {@code true} when it answered 2xx (capture), with {@code
 * false} otherwise (cancel, so the payer is not charged for a failed request).
 */
public interface Settlement {
  /**
   * Completes or cancels the deferred settlement.
   *
   * @param delivered whether the application answered 2xx
   * @throws PaymentMethodException when the payment backend failed
   */
  void complete(boolean delivered) throws PaymentMethodException;
}
