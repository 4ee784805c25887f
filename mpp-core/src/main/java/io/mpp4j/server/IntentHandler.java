package io.mpp4j.server;

import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;

/**
 * The part of the request lifecycle that depends on the intent: what happens to a credential once
 * the gate has checked everything the intent does not decide. Register one per {@link
 * io.mpp4j.core.Intent} with {@link PaymentGate.Builder#intentHandler}; an intent without one is
 * handled by {@link #CHARGE}, today's behaviour for every intent: the payment method verifies and
 * settles.
 *
 * <p>The lifecycle: extract the credential, decode it, check its binding (HMAC, realm, route), its
 * expiry and the body digest, ask the {@link PayerPolicy}, run the {@linkplain
 * PaymentGate.Builder#preClaimStep pre-claim steps}, claim the challenge id, <em>then</em> call the
 * handler; the gate turns its {@link IntentOutcome} into the {@link GateResult} (the receipt, or a
 * refusal with fresh challenges) and reports it to the listeners.
 *
 * <p>What a handler may do: call its {@link IntentContext#method() payment method}; keep state
 * (per-channel records, counters with a ceiling) in {@link IntentContext#verification()}{@code
 * .store()} under its own keys, always with a TTL; defer settlement to after the response with a
 * {@link Settlement} that reads the {@link io.mpp4j.spi.Delivery}'s units (metering); answer a
 * streamed exchange with {@link IntentOutcome.Stream}, whose {@link PaymentStream} tells the
 * adapter how to ask for more payment between events.
 *
 * <p>What it must never do: deliver without settlement (answer {@link IntentOutcome.Deliver} or
 * {@link IntentOutcome.Stream} only for a payment that is settled, or whose settlement step it
 * returns); settle twice (the gate's claim makes one verification of a challenge run at a time, but
 * the handler's own proof, such as a transaction hash, a token or a voucher's cumulative amount,
 * must be single-use in the store too); release or touch the gate's challenge claim; keep anything
 * from one request in its own fields; log or return credentials, tokens, signatures or upstream
 * error text.
 *
 * <p>Threading: one instance serves every request concurrently, so implementations must be
 * thread-safe and keep per-request data in the context and per-channel data in the store (several
 * server instances share the store, not the handler). {@code handle} runs on the request's thread
 * and may block on the payment backend, within the bounds the method sets.
 */
@FunctionalInterface
public interface IntentHandler {
  /**
   * The charge intent's handler and the default for every intent: the method's {@link
   * io.mpp4j.spi.PaymentMethod#verify} verifies and settles (or returns a deferred settlement), and
   * its verdict becomes the outcome.
   */
  IntentHandler CHARGE = new ChargeHandler();

  /**
   * Handles one credential that passed the gate's checks and whose challenge id the gate claimed.
   *
   * @param context the credential, the method that serves it and the gate's store and clock
   * @return the outcome, never null
   * @throws PaymentMethodException when the payment backend failed with nothing delivered; the gate
   *     releases the challenge and answers 402 with {@code Retry-After}
   */
  IntentOutcome handle(IntentContext context) throws PaymentMethodException;
}
