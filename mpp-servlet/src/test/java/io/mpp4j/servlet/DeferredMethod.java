package io.mpp4j.servlet;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.test.MockPaymentMethod;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The mock method with a deferred settlement (authorize, then capture or cancel after the
 * response): records every completion in a queue a test can wait on, and fails the completion on
 * command.
 */
final class DeferredMethod implements PaymentMethod {
  final MockPaymentMethod delegate = MockPaymentMethod.create();
  final BlockingQueue<Delivery> completions = new LinkedBlockingQueue<>();
  volatile boolean failCapture;

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<Intent> intents() {
    return delegate.intents();
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    return delegate.createRequest(intent, requirement);
  }

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    Verification v = delegate.verify(context);
    if (v instanceof Verification.Verified verified) {
      String id = context.challenge().id();
      return new Verification.Verified(
          verified.receipt(),
          delivery -> {
            completions.add(delivery);
            if (failCapture) {
              throw PaymentMethodException.of(
                  name(), ReasonCode.of("mock.capture_failed"), "capture failed", id, null, null);
            }
          });
    }
    return v;
  }
}
