package io.mpp4j.server;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.store.StateStore;
import java.time.Clock;
import java.time.Instant;

/**
 * What a {@link PreClaimStep} sees: a credential whose challenge is bound to this server and
 * matches this route, unexpired, with the right body digest and allowed by the payer policy, but
 * not yet claimed or verified by its payment method (the payment proof itself is unchecked).
 *
 * <p>Valid for the request it was made for.
 */
public final class PreClaimContext {
  private final PaymentGate gate;
  private final Attempt attempt;

  PreClaimContext(PaymentGate gate, Attempt attempt) {
    this.gate = gate;
    this.attempt = attempt;
  }

  /** The route's name, as given to the gate. */
  public String route() {
    return attempt.route;
  }

  /** The route's requirement. */
  public PaymentRequirement requirement() {
    return attempt.requirement;
  }

  /** The incoming request (for example its {@code Idempotency-Key} header). */
  public RequestView request() {
    return attempt.request;
  }

  /** The credential (its proof is not verified yet). */
  public Credential credential() {
    return attempt.credential();
  }

  /** The echoed challenge, bound to this server. */
  public Challenge challenge() {
    return attempt.credential().challenge();
  }

  /** The challenge's expiry. */
  public Instant expires() {
    return attempt.expires();
  }

  /** The gate's state store (records and counters with TTLs, for replays and reservations). */
  public StateStore store() {
    return gate.store();
  }

  /** The gate's clock. */
  public Clock clock() {
    return gate.clock();
  }

  /**
   * A refusal the way the gate answers one: the problem, plus fresh challenges for this route (and
   * the first one's id in the problem) when the problem's status is 402.
   */
  public GateResult.Rejected refuse(ProblemType type, ReasonCode reason, String detail) {
    return gate.reject(attempt, type, reason, detail);
  }
}
