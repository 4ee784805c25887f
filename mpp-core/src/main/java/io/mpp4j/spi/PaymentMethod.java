package io.mpp4j.spi;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import java.util.List;
import java.util.Set;

/**
 * A payment method (Tempo, Stripe, ...): it names itself and the intents it serves, builds the
 * {@code request} object of its challenges, and verifies credentials into a {@link Verification}.
 * Register methods explicitly with {@code PaymentGate.builder().method(...)}.
 *
 * <p>Implementations must be thread-safe. {@link #verify} is called only after the gate has checked
 * the challenge binding, the route, the expiry, the body digest and that the challenge was not used
 * before; it must still make its own proof single-use (claim the transaction hash or idempotency
 * key in {@link VerificationContext#store()}, releasing it with its owner token only when nothing
 * was paid) and re-check expiry right before settling. Stateful intents such as {@code session}
 * keep their state in the same store (versioned records, counters).
 */
public interface PaymentMethod {
  /** The method name as it appears on the wire: lower-case ASCII letters, e.g. {@code tempo}. */
  String name();

  /** The intents this method serves. */
  Set<Intent> intents();

  /**
   * Builds the request object this method offers for a route, for example converting the human
   * amount to base units and adding currency, recipient and method details. Called for every
   * challenge issued and for route binding at verification, so it must be cheap and deterministic
   * for a given requirement.
   *
   * @throws IllegalArgumentException when the requirement cannot be offered by this method (for
   *     example an amount below the processor's minimum); this is a configuration error
   */
  PaymentRequest createRequest(Intent intent, PaymentRequirement requirement);

  /**
   * The request fields the echoed challenge must match exactly against {@link #createRequest} for
   * the route ("pinned fields"), as dotted paths. The default is {@link #DEFAULT_BOUND_FIELDS}.
   */
  default List<String> boundFields(Intent intent) {
    return DEFAULT_BOUND_FIELDS;
  }

  /**
   * Verifies (and settles) the payment.
   *
   * @return {@link Verification.Verified} with the receipt, or {@link Verification.Rejected}
   * @throws PaymentMethodException when the payment backend failed; nothing is delivered
   */
  Verification verify(VerificationContext context) throws PaymentMethodException;

  /** The economic fields every method pins by default. */
  List<String> DEFAULT_BOUND_FIELDS =
      List.of(
          "amount",
          "currency",
          "recipient",
          "unitType",
          "methodDetails.chainId",
          "methodDetails.memo",
          "methodDetails.sessionProtocol",
          "methodDetails.splits");
}
