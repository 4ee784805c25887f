package io.mpp4j.stripe.internal;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles one credential: creates and confirms a PaymentIntent with the shared payment token,
 * retrying outages with the same idempotency key, and turns the answer into a verdict.
 *
 * <p>Single use, also under concurrency and across instances that share the replay store:
 *
 * <ul>
 *   <li>The token is claimed ({@code mpp:stripe:spt:<sha256(spt)>}) before Stripe is called, so one
 *       token never pays two challenges. The claim is released only when Stripe provably charged
 *       nothing with it: every attempt was refused before processing or never connected, or Stripe
 *       declined the payment or refused the request (so refused junk tokens hold no capacity in the
 *       replay store).
 *   <li>Stripe answers a retry whose first attempt already succeeded with {@code
 *       Idempotent-Replayed: true}. Such an answer is accepted only when this server's own earlier
 *       attempt with the same key may have reached Stripe: in this verification, or in an earlier
 *       verification of the same credential that ended without a verdict, which leaves a marker
 *       ({@code mpp:stripe:pending:<sha256(idempotency key)>}). Any other replay is refused.
 *   <li>Both are claimed under an owner derived from the idempotency key (the credential), so only
 *       a verification of this very credential releases them, also one that resumes an earlier
 *       attempt; a late release never frees a claim another credential took since.
 *   <li>The gate lets only one verification of a challenge run at a time, so the marker is never
 *       raced.
 * </ul>
 *
 * <p>Outbound calls are bounded: a verification takes a permit of the {@link ChargeRateBound}
 * before the token is claimed; without one it ends as a retriable outage ({@code stripe.busy}) with
 * nothing claimed and nothing sent.
 *
 * <p>A refused API key (401, 403) is the merchant's configuration error: it is logged at ERROR with
 * its real reason ({@code stripe.not_authorized}) and Stripe's request id, and the payer gets the
 * neutral outage answer {@code stripe.unavailable}, which does not tell clients that the merchant's
 * key is broken.
 *
 * <p>Thread-safe.
 */
public final class Charger {
  private static final Logger LOG = LoggerFactory.getLogger(Charger.class);

  private static final String SPT_CLAIM_PREFIX = "mpp:stripe:spt:";
  private static final String PENDING_PREFIX = "mpp:stripe:pending:";
  private static final ReasonCode SPT_USED = ReasonCode.of("stripe.spt_used");
  private static final ReasonCode AMOUNT_MISMATCH = ReasonCode.of("stripe.amount_mismatch");
  private static final ReasonCode BUSY = ReasonCode.of("stripe.busy");
  private static final ReasonCode UNAVAILABLE = ReasonCode.of("stripe.unavailable");
  private static final long BUSY_LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final StripeApi api;
  private final RetryPolicy retries;
  private final boolean sptTopLevel;
  private final Map<String, String> metadata;
  private final String sdk;
  private final Duration claimTtl;
  private final ChargeRateBound rateBound;
  private final AtomicLong busySinceLog = new AtomicLong();
  private final AtomicLong lastBusyLogNanos =
      new AtomicLong(System.nanoTime() - BUSY_LOG_INTERVAL_NANOS);

  /**
   * Creates the charger.
   *
   * @param api the Stripe calls
   * @param retries the retry policy of every call
   * @param sptTopLevel whether the token goes top level (else in {@code payment_method_data})
   * @param metadata the application's PaymentIntent metadata
   * @param sdk the {@code mpp_sdk} value, e.g. {@code mpp4j/0.1.0}
   * @param claimTtl how long a token claim lives
   * @param rateBound the bound on PaymentIntent creates
   */
  public Charger(
      StripeApi api,
      RetryPolicy retries,
      boolean sptTopLevel,
      Map<String, String> metadata,
      String sdk,
      Duration claimTtl,
      ChargeRateBound rateBound) {
    this.api = Objects.requireNonNull(api, "api == null");
    this.retries = Objects.requireNonNull(retries, "retries == null");
    this.sptTopLevel = sptTopLevel;
    this.metadata = Map.copyOf(metadata);
    this.sdk = Objects.requireNonNull(sdk, "sdk == null");
    this.claimTtl = Objects.requireNonNull(claimTtl, "claimTtl == null");
    this.rateBound = Objects.requireNonNull(rateBound, "rateBound == null");
  }

  /**
   * Charges (or, with {@code manualCapture}, authorizes) the bound amount with the token.
   *
   * @param context the verification, its challenge already checked by the gate
   * @param spt the shared payment token, already schema-checked
   * @param amount the amount in minor units
   * @param currency the lower-case currency
   * @param manualCapture whether to authorize now and capture after delivery
   * @return the verdict; for {@code manualCapture} a verified one carries the capture step
   * @throws PaymentMethodException when Stripe gave no verdict within the retry budget, or the
   *     bound on Stripe calls is reached (nothing claimed, nothing sent)
   */
  public Verification charge(
      VerificationContext context, String spt, long amount, String currency, boolean manualCapture)
      throws PaymentMethodException {
    String challengeId = context.challenge().id();
    String idempotencyKey = "mpp_" + challengeId + "_" + spt;
    String sptClaim = SPT_CLAIM_PREFIX + SafeText.sha256(spt);
    // The owner of this credential's claims, the same in every verification of it, so a retry
    // that resumes an earlier attempt may release what that attempt claimed.
    String attempt = SafeText.sha256(idempotencyKey);
    String pending = PENDING_PREFIX + attempt;
    StateStore store = context.store();
    Claims claims = new Claims(store, attempt, challengeId);

    boolean continuation = false;
    if (!store.claimAs(sptClaim, attempt, claimTtl)) {
      if (store.claimAs(pending, attempt, claimTtl)) {
        // No attempt of this very credential is pending: the token was spent elsewhere.
        claims.releaseQuietly(pending);
        return Verification.rejected(
                ProblemType.VERIFICATION_FAILED,
                SPT_USED,
                "This shared payment token was already used; a token pays once.")
            .nothingPaid(); // refused from the store alone: this challenge paid nothing
      }
      continuation = true;
    }
    if (!rateBound.tryAcquire()) {
      if (!continuation) {
        claims.releaseQuietly(sptClaim); // nothing was sent: the token stays unused
      }
      throw busy(challengeId);
    }

    String externalId = context.request().externalId();
    PaymentIntentCreateParams params =
        params(amount, currency, spt, challengeId, externalId, manualCapture);
    boolean uncertain = continuation; // something may exist at Stripe under this key
    Failure last = null;
    RetryPolicy.Call call = retries.start();
    while (call.next()) {
      StripeApi.Answer answer;
      try {
        answer = api.create(params, idempotencyKey, call.left());
      } catch (Exception e) {
        Failure f = Failure.of(e);
        last = f;
        uncertain |= f.mayHaveReached();
        if (f.kind().verdict()) {
          done(claims, pending, continuation);
          LOG.info(
              "stripe refused the payment: challengeId={} reason={} upstream={} requestId={}",
              challengeId,
              f.reason(),
              f.summary(),
              f.requestId());
          if (f.kind() == Failure.Kind.DECLINED || f.kind() == Failure.Kind.INVALID_REQUEST) {
            // Stripe refused outright and charged nothing: neither the token nor the challenge
            // may hold replay store capacity (junk tokens at the call bound would fill it). A
            // retry of this credential gets Stripe's stored answer under the same idempotency key.
            claims.releaseQuietly(sptClaim);
            return refusal(f).nothingPaid();
          }
          return refusal(f); // an idempotency conflict: something may exist under this key
        }
        LOG.debug(
            "stripe attempt {} failed: challengeId={} upstream={} requestId={}",
            call.attempts(),
            challengeId,
            f.summary(),
            f.requestId());
        if (!f.kind().retriable()) {
          break;
        }
        continue;
      }

      PaymentIntent pi = answer.paymentIntent();
      String id = pi.getId();
      String status = pi.getStatus();
      if (id == null || id.isEmpty() || status == null || status.isEmpty()) {
        last = Failure.malformed(answer.requestId());
        uncertain = true;
        break;
      }
      boolean foreignReplay = answer.replayed() && !uncertain;
      done(claims, pending, continuation);
      if (pi.getAmount() == null
          || pi.getAmount() != amount
          || !currency.equalsIgnoreCase(pi.getCurrency())) {
        LOG.warn(
            "stripe answered a PaymentIntent for another amount: challengeId={} paymentIntent={}",
            challengeId,
            id);
        return Verification.rejected(
            ProblemType.VERIFICATION_FAILED,
            AMOUNT_MISMATCH,
            "The PaymentIntent does not match the requested amount and currency.");
      }
      Verification verdict =
          ChargeRules.outcome(
              context.request(),
              id,
              status,
              foreignReplay,
              manualCapture,
              context.clock().instant());
      if (foreignReplay) {
        LOG.warn(
            "stripe replayed a payment this server did not retry: challengeId={} paymentIntent={}",
            challengeId,
            id);
      }
      if (verdict instanceof Verification.Verified ok
          && manualCapture
          && ChargeRules.REQUIRES_CAPTURE.equals(status)) {
        return new Verification.Verified(
            ok.receipt(), new DeferredCapture(api, retries, id, challengeId));
      }
      return verdict;
    }

    // No verdict within the budget.
    if (uncertain) {
      markPending(claims, pending);
    } else {
      claims.releaseQuietly(sptClaim); // Stripe provably created nothing
    }
    Failure f =
        last != null
            ? last
            : new Failure(Failure.Kind.TIMEOUT, false, null, null, null, null, "RetryBudget");
    ReasonCode reason = f.reason();
    if (f.kind() == Failure.Kind.NOT_AUTHORIZED) {
      // The merchant's key is broken: tell the operator, not the payer.
      LOG.error(
          "stripe refused this server's API key ({}): check the key and its permissions;"
              + " challengeId={} upstream={} requestId={} mayExistAtStripe={}",
          reason.code(),
          challengeId,
          f.summary(),
          f.requestId(),
          uncertain);
      reason = UNAVAILABLE;
    } else {
      LOG.warn(
          "stripe gave no verdict after {} attempt(s): challengeId={} upstream={} requestId={}"
              + " mayExistAtStripe={}",
          call.attempts(),
          challengeId,
          f.summary(),
          f.requestId(),
          uncertain);
    }
    throw PaymentMethodException.of(
        ChargeRules.METHOD,
        reason,
        "Stripe gave no verdict on the payment after "
            + call.attempts()
            + " attempt(s) ("
            + f.summary()
            + (uncertain
                ? "); retry the same credential to resume it"
                : "); nothing was created at Stripe"),
        challengeId,
        f.requestId(),
        null);
  }

  /**
   * The answer when the bound on Stripe calls is reached. Logged at WARN at most once a minute with
   * the number of attempts turned away, so a flood does not flood the log.
   */
  private PaymentMethodException busy(String challengeId) {
    long turnedAway = busySinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastBusyLogNanos.get();
    if (now - last >= BUSY_LOG_INTERVAL_NANOS && lastBusyLogNanos.compareAndSet(last, now)) {
      busySinceLog.addAndGet(-turnedAway);
      LOG.warn(
          "stripe call bound of {}/s reached: {} payment attempt(s) answered as retriable without"
              + " calling Stripe since the last report",
          rateBound.perSecond(),
          turnedAway);
    }
    return PaymentMethodException.of(
        ChargeRules.METHOD,
        BUSY,
        "the bound on Stripe calls (" + rateBound.perSecond() + "/s) is reached; nothing was sent",
        challengeId,
        null,
        null);
  }

  private PaymentIntentCreateParams params(
      long amount,
      String currency,
      String spt,
      String challengeId,
      @Nullable String externalId,
      boolean manualCapture) {
    PaymentIntentCreateParams.Builder b =
        PaymentIntentCreateParams.builder()
            .setAmount(amount)
            .setCurrency(currency)
            .setConfirm(true)
            .setAutomaticPaymentMethods(
                PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                    .setEnabled(true)
                    .setAllowRedirects(
                        PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER)
                    .build())
            .putAllMetadata(metadata)
            .putMetadata("machine_payment", "true")
            .putMetadata("mpp_sdk", sdk)
            .putMetadata("mpp_intent", "charge")
            .putMetadata("mpp_challenge_id", challengeId);
    if (externalId != null) {
      b.putMetadata("mpp_external_id", externalId);
    }
    if (manualCapture) {
      b.setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL);
    }
    if (sptTopLevel) {
      b.putExtraParam("shared_payment_granted_token", spt);
    } else {
      b.putExtraParam("payment_method_data", Map.of("shared_payment_granted_token", spt));
    }
    return b.build();
  }

  private static Verification.Rejected refusal(Failure f) {
    switch (f.kind()) {
      case DECLINED:
        return Verification.rejected(
            ProblemType.VERIFICATION_FAILED, f.reason(), "The payment was declined.");
      case IDEMPOTENCY_CONFLICT:
        return Verification.rejected(
            ProblemType.VERIFICATION_FAILED,
            f.reason(),
            "Stripe already processed this credential differently; it cannot be used again.");
      case INVALID_REQUEST:
      default:
        return Verification.rejected(
            ProblemType.VERIFICATION_FAILED,
            f.reason(),
            "Stripe refused the payment with this shared payment token.");
    }
  }

  /** A verdict was reached: a pending marker of this credential has served its purpose. */
  private static void done(Claims claims, String pending, boolean continuation) {
    if (continuation) {
      claims.releaseQuietly(pending);
    }
  }

  private void markPending(Claims claims, String pending) {
    try {
      claims.store.claimAs(pending, claims.owner, claimTtl);
    } catch (StoreUnavailableException e) {
      // Fail closed: without the marker a retry of this credential is refused as a reused token.
      LOG.warn(
          "could not record the pending stripe payment of challengeId={}; a retry will be refused",
          claims.challengeId);
    }
  }

  /** The claims of one credential's verifications: the store, their owner and the challenge. */
  private record Claims(StateStore store, String owner, String challengeId) {
    void releaseQuietly(String key) {
      try {
        store.release(key, owner);
      } catch (StoreUnavailableException e) {
        LOG.warn("could not release a stripe claim of challengeId={}; it expires", challengeId);
      }
    }
  }
}
