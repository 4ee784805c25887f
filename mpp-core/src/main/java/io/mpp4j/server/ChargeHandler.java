package io.mpp4j.server;

import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;

/** The charge intent: the method verifies and settles; its verdict is the outcome. */
final class ChargeHandler implements IntentHandler {
  @Override
  public IntentOutcome handle(IntentContext context) throws PaymentMethodException {
    Verification verdict = context.method().verify(context.verification());
    if (verdict instanceof Verification.Verified v) {
      return new IntentOutcome.Deliver(v.receipt(), v.settlement());
    }
    return new IntentOutcome.Refuse((Verification.Rejected) verdict);
  }

  @Override
  public String toString() {
    return "IntentHandler.CHARGE";
  }
}
