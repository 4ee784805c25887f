package io.mpp4j.server;

import org.jspecify.annotations.Nullable;

/**
 * A step the gate runs after every check of a credential (binding, route, expiry, body digest,
 * payer policy) and <em>before</em> it claims the challenge id: where an idempotent replay ({@code
 * Idempotency-Key}) answers a request already served and a spend reservation refuses a payer over a
 * limit, so a refused request never holds the challenge and is never charged. Steps run in the
 * order they were added to the builder ({@link PaymentGate.Builder#preClaimStep}); the first that
 * refuses ends the request.
 *
 * <p>Implementations must be thread-safe and bounded in time (they run on the request path, for
 * every credential that passed the checks). A step that throws {@link
 * io.mpp4j.store.StoreUnavailableException} makes the gate answer as for a store outage (402 with
 * {@code Retry-After}); any other exception is a defect and is answered with {@code
 * verification-failed}. Either way nothing is claimed or charged. A step never sees a token or
 * signature it may log.
 */
@FunctionalInterface
public interface PreClaimStep {
  /**
   * Decides whether the request may continue to the claim.
   *
   * @param context the verified credential, the route and the gate's store
   * @return null to continue, or the refusal to answer with (build it with {@link
   *     PreClaimContext#refuse})
   */
  GateResult.@Nullable Rejected beforeClaim(PreClaimContext context);
}
