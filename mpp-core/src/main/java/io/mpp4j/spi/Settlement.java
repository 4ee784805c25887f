package io.mpp4j.spi;

/**
 * A settlement step a payment method defers until the application has answered, for methods that
 * authorize first and capture later. The adapter calls {@link #complete(Delivery)} exactly once
 * after the application handler ran, with what was delivered: a charge captures when {@link
 * Delivery#delivered()} is true (a 2xx with the receipt went out) and cancels otherwise, so the
 * payer is not charged for a failed request; a metered intent also reads {@link Delivery#units()}.
 */
public interface Settlement {
  /**
   * Completes or cancels the deferred settlement.
   *
   * @param delivery what the application delivered (never null)
   * @throws PaymentMethodException when the payment backend failed
   */
  void complete(Delivery delivery) throws PaymentMethodException;
}
