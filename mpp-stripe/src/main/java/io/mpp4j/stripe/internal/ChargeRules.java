package io.mpp4j.stripe.internal;

import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Verification;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The protocol rules of a Stripe charge that do not need Stripe: the payload schema, the {@code
 * externalId} binding, and the verdict for a PaymentIntent's answer. The payment method and the
 * conformance helper both run through here, so they cannot drift apart.
 *
 * <p>No rule here echoes the shared payment token or Stripe's own text.
 */
public final class ChargeRules {
  /** The method name on the wire. */
  public static final String METHOD = "stripe";

  /** Longest shared payment token accepted (the idempotency key must stay within 255). */
  public static final int MAX_SPT_LENGTH = 200;

  /** The PaymentIntent statuses this module treats as paid (automatic capture). */
  public static final String SUCCEEDED = "succeeded";

  /** Authorized, awaiting capture (manual capture). */
  public static final String REQUIRES_CAPTURE = "requires_capture";

  /** The payer must complete an action (3-D Secure). */
  public static final String REQUIRES_ACTION = "requires_action";

  static final ReasonCode PAYLOAD_INVALID = ReasonCode.of("stripe.payload_invalid");
  static final ReasonCode EXTERNAL_ID_MISMATCH = ReasonCode.of("stripe.external_id_mismatch");
  static final ReasonCode REPLAYED = ReasonCode.of("stripe.replayed");
  static final ReasonCode ACTION_REQUIRED = ReasonCode.of("stripe.requires_action");
  static final ReasonCode PROCESSING = ReasonCode.of("stripe.processing");
  static final ReasonCode UNEXPECTED_STATUS = ReasonCode.of("stripe.unexpected_status");

  private ChargeRules() {}

  /**
   * The shared payment token of a payload, or null when the payload does not fit the schema {@code
   * {"spt": "<1 to 200 of [A-Za-z0-9_]>", "externalId"?: string}}.
   */
  public static @Nullable String spt(Map<String, ?> payload) {
    Object value = payload.get("spt");
    if (!(value instanceof String spt) || spt.isEmpty() || spt.length() > MAX_SPT_LENGTH) {
      return null;
    }
    for (int i = 0; i < spt.length(); i++) {
      char c = spt.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return null;
      }
    }
    return spt;
  }

  /** The refusal of a payload that does not fit the schema. Never quotes the payload. */
  public static Verification.Rejected invalidPayload() {
    return Verification.rejected(
        ProblemType.INVALID_PAYLOAD,
        PAYLOAD_INVALID,
        "The stripe payload must be {\"spt\": \"spt_...\"} with a shared payment token of 1 to "
            + MAX_SPT_LENGTH
            + " letters, digits and underscores.");
  }

  /**
   * The {@code externalId} binding: when the request binds an {@code externalId}, the payload must
   * carry the same value; a different or missing one is refused as {@code invalid-challenge}. When
   * the request binds none, the payload's value is ignored.
   *
   * @return null when the binding holds, else the refusal
   */
  public static Verification.@Nullable Rejected checkExternalId(
      PaymentRequest request, Map<String, ?> payload) {
    String bound = request.externalId();
    if (bound == null) {
      return null;
    }
    Object claimed = payload.get("externalId");
    if (claimed instanceof String s && s.equals(bound)) {
      return null;
    }
    return Verification.rejected(
        ProblemType.INVALID_CHALLENGE,
        EXTERNAL_ID_MISMATCH,
        claimed == null
            ? "The payload lacks the externalId the challenge binds."
            : "The payload's externalId does not match the one the challenge binds.");
  }

  /**
   * The verdict for a PaymentIntent answer.
   *
   * @param request the bound request (its {@code externalId} goes into the receipt)
   * @param paymentIntentId the PaymentIntent id, the receipt reference
   * @param status the PaymentIntent status
   * @param foreignReplay whether Stripe marked the answer {@code Idempotent-Replayed} and the
   *     replay cannot be this server's own retry
   * @param manualCapture whether the PaymentIntent was created for capture after delivery, so
   *     {@code requires_capture} counts as authorized
   * @param now the receipt time
   */
  public static Verification outcome(
      PaymentRequest request,
      String paymentIntentId,
      String status,
      boolean foreignReplay,
      boolean manualCapture,
      Instant now) {
    Objects.requireNonNull(paymentIntentId, "paymentIntentId == null");
    Objects.requireNonNull(status, "status == null");
    if (foreignReplay) {
      return Verification.rejected(
          ProblemType.VERIFICATION_FAILED,
          REPLAYED,
          "This payment was already processed; a shared payment token pays once.");
    }
    if (SUCCEEDED.equals(status) || manualCapture && REQUIRES_CAPTURE.equals(status)) {
      return Verification.verified(
          Receipt.success(METHOD, paymentIntentId, now).withExternalId(request.externalId()));
    }
    if (REQUIRES_ACTION.equals(status)) {
      return Verification.rejected(
          ProblemType.PAYMENT_ACTION_REQUIRED,
          ACTION_REQUIRED,
          "The payment requires an action by the payer (such as 3-D Secure) before it can"
              + " complete.");
    }
    if ("processing".equals(status)) {
      return Verification.rejected(
          ProblemType.VERIFICATION_FAILED,
          PROCESSING,
          "The payment is still processing and was not accepted; nothing is delivered for it.");
    }
    return Verification.rejected(
        ProblemType.VERIFICATION_FAILED,
        UNEXPECTED_STATUS,
        "The payment did not complete (PaymentIntent status "
            + (SafeText.isCode(status) ? status : "unknown")
            + ").");
  }
}
