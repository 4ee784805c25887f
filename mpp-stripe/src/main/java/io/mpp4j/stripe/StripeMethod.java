package io.mpp4j.stripe;

import com.stripe.StripeClient;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.stripe.internal.ChargeRateBound;
import io.mpp4j.stripe.internal.ChargeRules;
import io.mpp4j.stripe.internal.Charger;
import io.mpp4j.stripe.internal.Currencies;
import io.mpp4j.stripe.internal.JdkStripeHttpClient;
import io.mpp4j.stripe.internal.RetryPolicy;
import io.mpp4j.stripe.internal.SdkVersion;
import io.mpp4j.stripe.internal.StripeApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code stripe} payment method for the {@code charge} intent: the payer's agent pays with a
 * Stripe Shared Payment Token (SPT), and the server creates and confirms a PaymentIntent with it.
 *
 * <p>Offers carry the amount in the currency's minor units (zero-, two- and three-decimal
 * currencies), the lower-case currency, {@code methodDetails.networkId}, {@code
 * methodDetails.paymentMethodTypes} (and {@code methodDetails.metadata} when configured), and the
 * route's {@code description} and {@code externalId}. A price below Stripe's minimum charge for the
 * currency is refused when the offer is built, so no unpayable challenge is ever issued.
 *
 * <p>Verification, after the gate's checks: the payload must be {@code {"spt": "spt_…"}} ({@code
 * invalid-payload}); a bound {@code externalId} must be echoed in the payload ({@code
 * invalid-challenge}); the challenge must still be unexpired; then the PaymentIntent is created
 * with {@code confirm=true}, the idempotency key {@code mpp_<challengeId>_<spt>}, the preview
 * {@code Stripe-Version}, and metadata binding the challenge id and {@code externalId}. {@code
 * succeeded} yields a receipt whose reference is the PaymentIntent id; {@code requires_action}
 * answers {@code payment-action-required}; declines and other statuses answer {@code
 * verification-failed} with a stable reason ({@code stripe.card_declined.insufficient_funds}); an
 * answer marked {@code Idempotent-Replayed} that is not this server's own retry is refused. Outages
 * (5xx, 409, 429, timeouts) are retried with the same idempotency key within the retry budget, then
 * answered without a receipt ({@link PaymentMethodException}); retrying the same credential later
 * resumes the payment rather than charging again. PaymentIntent creates are bounded by {@link
 * StripeConfig#chargesPerSecond()}; beyond it an attempt is answered as a retriable outage ({@code
 * stripe.busy}) without calling Stripe. A refused API key is logged at ERROR and answered as the
 * neutral outage {@code stripe.unavailable}. Stripe's own error text never reaches the client or
 * the logs, and neither does the token or the API key.
 *
 * <p>Capture after success: with {@link StripeConfig.Builder#captureAfterSuccess(boolean)}, or per
 * route with the opaque entry {@link #CAPTURE_OPAQUE_KEY}, the PaymentIntent is only authorized;
 * the verdict carries a {@link io.mpp4j.spi.Settlement} that captures it once the application
 * answered 2xx and cancels it otherwise.
 *
 * <p>Immutable and thread-safe; share one instance (it holds one configured stripe-java client).
 *
 * <pre>{@code
 * StripeMethod stripe = StripeMethod.create(StripeConfig.builder()
 *     .apiKey(System.getenv("STRIPE_SECRET_KEY"))
 *     .networkId("profile_61RZ...")
 *     .build());
 * PaymentGate gate = PaymentGate.builder().realm("api.example.com").secret(secret)
 *     .method(stripe).build();
 * PaymentRequirement route = PaymentRequirement.builder()
 *     .amount("0.50")
 *     .opaque(StripeMethod.CAPTURE_OPAQUE_KEY, StripeMethod.CAPTURE_AFTER_SUCCESS)
 *     .build();
 * }</pre>
 */
public final class StripeMethod implements PaymentMethod {
  /** The method name on the wire. */
  public static final String NAME = ChargeRules.METHOD;

  /**
   * The {@link PaymentRequirement#opaque()} entry choosing a route's capture: {@link
   * #CAPTURE_AFTER_SUCCESS} or {@link #CAPTURE_IMMEDIATELY}. Absent: the config's default.
   */
  public static final String CAPTURE_OPAQUE_KEY = "stripe.capture";

  /** Authorize at verification, capture after the application answered 2xx, else cancel. */
  public static final String CAPTURE_AFTER_SUCCESS = "after_success";

  /** Charge at verification. */
  public static final String CAPTURE_IMMEDIATELY = "immediate";

  /** The request fields pinned to the route: the core defaults plus Stripe's. */
  public static final List<String> BOUND_FIELDS;

  static {
    List<String> fields = new ArrayList<>(DEFAULT_BOUND_FIELDS);
    fields.add("externalId");
    fields.add("methodDetails.networkId");
    fields.add("methodDetails.paymentMethodTypes");
    BOUND_FIELDS = List.copyOf(fields);
  }

  private static final int MAX_EXTERNAL_ID = 500;

  private final StripeConfig config;
  private final Charger charger;

  private StripeMethod(StripeConfig config, StripeClient client) {
    this.config = config;
    StripeApi api =
        new StripeApi(
            client, config.stripeVersion(), config.connectTimeout(), config.readTimeout());
    this.charger =
        new Charger(
            api,
            new RetryPolicy(config.maxAttempts(), config.retryBackoff(), config.retryBudget()),
            config.sptPlacement() == SptPlacement.TOP_LEVEL,
            config.metadata(),
            SdkVersion.value(),
            config.sptClaimTtl(),
            new ChargeRateBound(config.chargesPerSecond(), config.ticker()));
  }

  /**
   * Creates the method and, unless the config carries a client, its one stripe-java client (without
   * network retries of its own: this method retries with the same idempotency key).
   */
  public static StripeMethod create(StripeConfig config) {
    Objects.requireNonNull(config, "config == null");
    StripeClient client = config.stripeClient();
    if (client == null) {
      String apiKey = Objects.requireNonNull(config.apiKey(), "apiKey == null");
      StripeClient.StripeClientBuilder b =
          StripeClient.builder()
              .setApiKey(apiKey)
              .setHttpClient(new JdkStripeHttpClient(config.connectTimeout(), config.readTimeout()))
              .setMaxNetworkRetries(0)
              .setConnectTimeout((int) config.connectTimeout().toMillis())
              .setReadTimeout((int) config.readTimeout().toMillis());
      if (config.apiBase() != null) {
        b.setApiBase(config.apiBase());
      }
      client = b.build();
    }
    return new StripeMethod(config, client);
  }

  /** The configuration. */
  public StripeConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the intent is not {@code charge}, the currency is not a
   *     three-letter code, the amount has more decimals than the currency allows or is below
   *     Stripe's minimum charge, the {@code externalId} is longer than 500 characters, or the
   *     route's {@link #CAPTURE_OPAQUE_KEY} entry has another value
   */
  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    Objects.requireNonNull(intent, "intent == null");
    Objects.requireNonNull(requirement, "requirement == null");
    if (!Intent.CHARGE.equals(intent)) {
      throw new IllegalArgumentException(
          "the stripe method serves the charge intent only, not " + intent);
    }
    String currency =
        requirement.currency() != null
            ? Currencies.normalize(requirement.currency())
            : config.currency();
    long amount = Currencies.toMinorUnits(requirement.amount(), currency);
    captureAfterSuccess(requirement); // validates the route's choice up front

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("networkId", config.networkId());
    details.put("paymentMethodTypes", config.paymentMethodTypes());
    if (!config.metadata().isEmpty()) {
      details.put("metadata", config.metadata());
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(Long.toString(amount))
            .currency(currency)
            .put("methodDetails", details);
    if (requirement.description() != null) {
      b.description(requirement.description());
    }
    String externalId = requirement.externalId();
    if (externalId != null) {
      if (externalId.isEmpty() || externalId.length() > MAX_EXTERNAL_ID) {
        throw new IllegalArgumentException(
            "externalId must be 1 to "
                + MAX_EXTERNAL_ID
                + " characters for Stripe metadata, but has "
                + externalId.length());
      }
      b.externalId(externalId);
    }
    return b.build();
  }

  @Override
  public List<String> boundFields(Intent intent) {
    return BOUND_FIELDS;
  }

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    Objects.requireNonNull(context, "context == null");
    Map<String, Object> payload = context.credential().payload();
    String spt = ChargeRules.spt(payload);
    // Refusals before the charger calls Stripe: nothing was sent or paid, so the gate releases
    // the challenge (a flood of junk tokens holds no replay store capacity).
    if (spt == null) {
      return ChargeRules.invalidPayload().nothingPaid();
    }
    Verification.Rejected binding = ChargeRules.checkExternalId(context.request(), payload);
    if (binding != null) {
      return binding.nothingPaid();
    }
    // The echo's pinned fields equal the route's offer; charge what this server offers.
    PaymentRequest offered = context.offered();
    String amountText = offered.amount();
    String currency = offered.currency();
    if (amountText == null || currency == null) {
      throw new IllegalStateException("the stripe offer lacks amount or currency");
    }
    long amount = Long.parseLong(amountText);
    if (context.isExpired()) {
      return Verification.rejected(
              ProblemType.PAYMENT_EXPIRED,
              ReasonCode.CHALLENGE_EXPIRED,
              "The challenge expired before the payment was submitted.")
          .nothingPaid();
    }
    return charger.charge(
        context, spt, amount, currency, captureAfterSuccess(context.requirement()));
  }

  private boolean captureAfterSuccess(PaymentRequirement requirement) {
    String choice = requirement.opaque().get(CAPTURE_OPAQUE_KEY);
    if (choice == null) {
      return config.captureAfterSuccess();
    }
    switch (choice) {
      case CAPTURE_AFTER_SUCCESS:
        return true;
      case CAPTURE_IMMEDIATELY:
        return false;
      default:
        throw new IllegalArgumentException(
            "opaque "
                + CAPTURE_OPAQUE_KEY
                + " must be "
                + CAPTURE_AFTER_SUCCESS
                + " or "
                + CAPTURE_IMMEDIATELY
                + ", but was \""
                + choice
                + "\"");
    }
  }

  /**
   * The {@code externalId} binding and the verdict on a PaymentIntent answer, without calling
   * Stripe: the code path {@link #verify} runs after Stripe answered, for conformance suites (the
   * {@code stripe.external_id_binding} operation) and tests. It models an automatic-capture charge:
   * a bound {@code externalId} the payload does not echo exactly is {@link
   * ProblemType#INVALID_CHALLENGE}; a replayed answer, or any status but {@code succeeded}, is
   * {@link ProblemType#VERIFICATION_FAILED} (including {@code requires_action}, which {@link
   * #verify} answers as {@code payment-action-required}, a refinement the conformance vocabulary
   * lacks). The payload's token is not looked at.
   *
   * @param request the bound request object (its {@code externalId} is the only one trusted)
   * @param payload the credential payload ({@code externalId} is read from it)
   * @param paymentIntentId the PaymentIntent id Stripe answered (the receipt reference)
   * @param status the PaymentIntent status Stripe answered
   * @param replayed whether Stripe marked the answer {@code Idempotent-Replayed: true}
   * @return {@link Verification.Verified} with the receipt (method {@code stripe}, reference the
   *     PaymentIntent id, {@code externalId} from the request, timestamp now), or {@link
   *     Verification.Rejected} with {@link ProblemType#INVALID_CHALLENGE} or {@link
   *     ProblemType#VERIFICATION_FAILED}
   * @throws IllegalArgumentException when {@code paymentIntentId} or {@code status} is empty
   */
  public static Verification externalIdBinding(
      PaymentRequest request,
      Map<String, ?> payload,
      String paymentIntentId,
      String status,
      boolean replayed) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(payload, "payload == null");
    Objects.requireNonNull(paymentIntentId, "paymentIntentId == null");
    Objects.requireNonNull(status, "status == null");
    if (paymentIntentId.isEmpty() || status.isEmpty()) {
      throw new IllegalArgumentException("paymentIntentId and status must not be empty");
    }
    Verification.Rejected binding = ChargeRules.checkExternalId(request, payload);
    if (binding != null) {
      return binding;
    }
    Verification verdict =
        ChargeRules.outcome(
            request, paymentIntentId, status, replayed, false, Clock.systemUTC().instant());
    if (verdict instanceof Verification.Rejected r
        && r.type() != ProblemType.INVALID_CHALLENGE
        && r.type() != ProblemType.VERIFICATION_FAILED) {
      return Verification.rejected(ProblemType.VERIFICATION_FAILED, r.reason(), r.detail());
    }
    return verdict;
  }

  @Override
  public String toString() {
    return "StripeMethod{" + config + "}";
  }
}
