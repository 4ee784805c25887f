package io.mpp4j.stripe.internal;

import com.stripe.model.PaymentIntent;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of an authorize-then-capture payment: after the application answered, capture the
 * authorized PaymentIntent when the response was delivered (a 2xx with the receipt) or cancel it
 * (anything else), so a failed handler never leaves the payer charged. The units consumed do not
 * change a charge's amount. Outages are retried with the same idempotency key within the retry
 * budget.
 *
 * <p>Idempotent: once a capture or cancel went through (or Stripe refused it for good), further
 * calls do nothing. After an outage the step may be called again. An authorization nobody completes
 * lapses at Stripe on its own (after about seven days for cards).
 *
 * <p>Thread-safe.
 */
final class DeferredCapture implements Settlement {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredCapture.class);

  private final StripeApi api;
  private final RetryPolicy retries;
  private final String paymentIntentId;
  private final String challengeId;
  private boolean finished; // guarded by this

  DeferredCapture(StripeApi api, RetryPolicy retries, String paymentIntentId, String challengeId) {
    this.api = Objects.requireNonNull(api, "api == null");
    this.retries = Objects.requireNonNull(retries, "retries == null");
    this.paymentIntentId = Objects.requireNonNull(paymentIntentId, "paymentIntentId == null");
    this.challengeId = Objects.requireNonNull(challengeId, "challengeId == null");
  }

  @Override
  public synchronized void complete(Delivery delivery) throws PaymentMethodException {
    Objects.requireNonNull(delivery, "delivery == null"); // a charge has no use for the units
    if (finished) {
      return;
    }
    boolean delivered = delivery.delivered();
    String action = delivered ? "capture" : "cancel";
    String expected = delivered ? ChargeRules.SUCCEEDED : "canceled";
    String key = "mpp_" + action + "_" + paymentIntentId;
    Failure last = null;
    RetryPolicy.Call call = retries.start();
    while (call.next()) {
      StripeApi.Answer answer;
      try {
        answer =
            delivered
                ? api.capture(paymentIntentId, key, call.left())
                : api.cancel(paymentIntentId, key, call.left());
      } catch (Exception e) {
        Failure f = Failure.of(e);
        last = f;
        if (f.kind().verdict()) {
          finished = true;
          throw failure(action, "Stripe refused it (" + f.summary() + ")", f.reason(), f);
        }
        if (!f.kind().retriable()) {
          break;
        }
        continue;
      }
      PaymentIntent pi = answer.paymentIntent();
      String status = pi.getStatus();
      if (expected.equals(status) || delivered && "processing".equals(status)) {
        finished = true;
        LOG.info(
            "stripe {} done: challengeId={} paymentIntent={}",
            action,
            challengeId,
            paymentIntentId);
        return;
      }
      if (status == null) {
        last = Failure.malformed(answer.requestId());
        break;
      }
      finished = true;
      throw failure(
          action,
          "the PaymentIntent is in status " + (SafeText.isCode(status) ? status : "unknown"),
          ReasonCode.of("stripe." + action + "_failed"),
          null);
    }
    Failure f =
        last != null
            ? last
            : new Failure(Failure.Kind.TIMEOUT, false, null, null, null, null, "RetryBudget");
    throw failure(
        action,
        "Stripe gave no answer after " + call.attempts() + " attempt(s) (" + f.summary() + ")",
        f.reason(),
        f);
  }

  private PaymentMethodException failure(
      String action, String why, ReasonCode reason, @Nullable Failure f) {
    return PaymentMethodException.of(
        ChargeRules.METHOD,
        reason,
        "could not " + action + " PaymentIntent " + paymentIntentId + ": " + why,
        challengeId,
        f == null ? null : f.requestId(),
        null);
  }
}
