package io.mpp4j.stripe.internal;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeResponse;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The three PaymentIntent calls this module makes, one attempt each, on one shared stripe-java
 * client. Every request carries the idempotency key, the pinned {@code Stripe-Version}, no network
 * retries of stripe-java's own (retries happen one level up, with the same key), and timeouts cut
 * to what is left of the caller's budget.
 *
 * <p>Thread-safe.
 */
public final class StripeApi {
  private static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final StripeClient client;
  private final String stripeVersion;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /** An answer from Stripe: the PaymentIntent, whether it was a replay, and the request id. */
  public record Answer(PaymentIntent paymentIntent, boolean replayed, @Nullable String requestId) {}

  /**
   * Creates the calls.
   *
   * @param client the shared client
   * @param stripeVersion the {@code Stripe-Version} header
   * @param connectTimeout connect timeout per request (before cutting to the budget)
   * @param readTimeout read timeout per request (before cutting to the budget)
   */
  public StripeApi(
      StripeClient client, String stripeVersion, Duration connectTimeout, Duration readTimeout) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.stripeVersion = Objects.requireNonNull(stripeVersion, "stripeVersion == null");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout == null");
  }

  /** {@code POST /v1/payment_intents}. */
  public Answer create(PaymentIntentCreateParams params, String idempotencyKey, Duration left)
      throws StripeException {
    return answer(client.v1().paymentIntents().create(params, options(idempotencyKey, left)));
  }

  /** {@code POST /v1/payment_intents/{id}/capture} of the full authorized amount. */
  public Answer capture(String paymentIntentId, String idempotencyKey, Duration left)
      throws StripeException {
    return answer(
        client
            .v1()
            .paymentIntents()
            .capture(
                paymentIntentId,
                PaymentIntentCaptureParams.builder().build(),
                options(idempotencyKey, left)));
  }

  /** {@code POST /v1/payment_intents/{id}/cancel} with reason {@code abandoned}. */
  public Answer cancel(String paymentIntentId, String idempotencyKey, Duration left)
      throws StripeException {
    return answer(
        client
            .v1()
            .paymentIntents()
            .cancel(
                paymentIntentId,
                PaymentIntentCancelParams.builder()
                    .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED)
                    .build(),
                options(idempotencyKey, left)));
  }

  private RequestOptions options(String idempotencyKey, Duration left) {
    RequestOptions.RequestOptionsBuilder b =
        RequestOptions.builder()
            .setIdempotencyKey(idempotencyKey)
            .setMaxNetworkRetries(0)
            .setConnectTimeout(millis(connectTimeout, left))
            .setReadTimeout(millis(readTimeout, left));
    return RequestOptions.RequestOptionsBuilder.unsafeSetStripeVersionOverride(b, stripeVersion)
        .build();
  }

  private static int millis(Duration configured, Duration left) {
    long ms = Math.min(configured.toMillis(), left.toMillis());
    return (int) Math.max(1, Math.min(ms, Integer.MAX_VALUE));
  }

  private static Answer answer(@Nullable PaymentIntent pi) {
    if (pi == null) {
      throw new MalformedAnswerException("Stripe answered without a PaymentIntent");
    }
    StripeResponse response = pi.getLastResponse();
    boolean replayed =
        response != null
            && response
                .headers()
                .firstValue(REPLAYED_HEADER)
                .map(v -> v.strip().equalsIgnoreCase("true"))
                .orElse(false);
    return new Answer(
        pi, replayed, response == null ? null : SafeText.requestId(response.requestId()));
  }

  /** Stripe's answer could not be understood. */
  static final class MalformedAnswerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedAnswerException(String message) {
      super(message, null, false, false);
    }
  }
}
