package io.mpp4j.server;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened on one request to a paid route, as told to every {@link PaymentListener}. It
 * carries correlation data only: never a credential, token, signature, receipt or secret.
 *
 * <p>A request that is refused or asked to pay produces one event ({@link Type#CHALLENGE_ISSUED} or
 * {@link Type#REFUSED}). A paid request produces {@link Type#VERIFIED} and then one settlement
 * event: for a method that settles while it verifies (no deferred {@link io.mpp4j.spi.Settlement}),
 * {@link Type#SETTLED} right after {@code VERIFIED}, from the gate; for a deferred settlement,
 * {@link Type#SETTLED}, {@link Type#CANCELLED} or a failure when the adapter completes it ({@link
 * PaymentGate#settlementCompleted}).
 *
 * @param type what happened
 * @param route the route: its configured name, or the request path when the adapter gave none
 * @param method the payment method, where known (for a 402, the first challenge's)
 * @param intent the intent (for example {@code charge})
 * @param amount the amount in base units as offered, where known
 * @param currency the currency as offered, where known
 * @param payer the credential's {@code source} (a payer identifier such as a DID), where given
 * @param challengeId the challenge concerned: the one issued for a 402 (the first), the one paid
 *     for otherwise; null when the credential was not decoded or not bound to this server
 * @param status the HTTP status of the refusal (402 for {@code CHALLENGE_ISSUED}), 0 otherwise
 * @param problemType the refusal's problem type, for {@code REFUSED} and {@code CHALLENGE_ISSUED}
 * @param reason the refusal's reason code (or the payment backend's for a failed settlement)
 * @param freshChallengeId the id of the fresh challenge sent with a refusal, or null
 * @param detail for a failed settlement, what failed in mpp4j's words; otherwise null
 */
public record PaymentEvent(
    Type type,
    String route,
    @Nullable String method,
    String intent,
    @Nullable String amount,
    @Nullable String currency,
    @Nullable String payer,
    @Nullable String challengeId,
    int status,
    @Nullable ProblemType problemType,
    @Nullable ReasonCode reason,
    @Nullable String freshChallengeId,
    @Nullable String detail) {

  /** The kinds of outcome. */
  public enum Type {
    /** No credential: {@code 402} with fresh challenges. */
    CHALLENGE_ISSUED,
    /** The credential was refused (any status); see {@code problemType} and {@code reason}. */
    REFUSED,
    /** The payment was verified: the resource is delivered. */
    VERIFIED,
    /** The payment was settled (captured): at verification, or after a 2xx was delivered. */
    SETTLED,
    /** A deferred settlement was cancelled because nothing was delivered. */
    CANCELLED,
    /** A deferred capture failed: the resource was delivered but the payment not captured. */
    SETTLEMENT_FAILED,
    /** A deferred cancellation failed: nothing was delivered and the hold was not released. */
    CANCELLATION_FAILED
  }

  /** Validates. */
  public PaymentEvent {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(route, "route == null");
    Objects.requireNonNull(intent, "intent == null");
  }

  /** An event about a challenge the server issued (a 402) or the challenge a credential paid. */
  static PaymentEvent of(
      Type type,
      String route,
      Challenge challenge,
      @Nullable Credential credential,
      int status,
      @Nullable ProblemType problemType,
      @Nullable ReasonCode reason,
      @Nullable String freshChallengeId,
      @Nullable String detail) {
    return new PaymentEvent(
        type,
        route,
        challenge.method(),
        challenge.intent().name(),
        challenge.request().amount(),
        challenge.request().currency(),
        credential == null ? null : credential.sourceString(),
        challenge.id(),
        status,
        problemType,
        reason,
        freshChallengeId,
        detail);
  }
}
