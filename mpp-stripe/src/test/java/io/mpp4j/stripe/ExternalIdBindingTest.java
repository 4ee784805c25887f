package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.spi.Verification;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conformance helper for {@code stripe.external_id_binding}. */
class ExternalIdBindingTest {
  private static final PaymentRequest BOUND =
      PaymentRequest.builder()
          .amount("1000")
          .currency("usd")
          .externalId("order_42")
          .put("methodDetails", Map.of("networkId", "profile_x", "paymentMethodTypes", "card"))
          .build();
  private static final PaymentRequest UNBOUND =
      PaymentRequest.builder().amount("1000").currency("usd").build();

  private static Verification run(
      PaymentRequest request, Map<String, ?> payload, String status, boolean replayed) {
    return StripeMethod.externalIdBinding(request, payload, "pi_123", status, replayed);
  }

  private static ProblemType refusal(Verification v) {
    return assertInstanceOf(Verification.Rejected.class, v).type();
  }

  @Test
  void matchingExternalIdYieldsAReceiptFromTheRequest() {
    Verification v =
        run(BOUND, Map.of("spt", "spt_1", "externalId", "order_42"), "succeeded", false);
    Receipt r = assertInstanceOf(Verification.Verified.class, v).receipt();
    assertEquals("success", r.status());
    assertEquals("stripe", r.method());
    assertEquals("pi_123", r.reference());
    assertEquals("order_42", r.externalId());
    Instant.parse(r.timestamp());
    assertNull(((Verification.Verified) v).settlement());
  }

  @Test
  void forgedMissingOrMistypedExternalIdIsAnInvalidChallenge() {
    assertEquals(
        ProblemType.INVALID_CHALLENGE,
        refusal(run(BOUND, Map.of("externalId", "order_43"), "succeeded", false)));
    assertEquals(ProblemType.INVALID_CHALLENGE, refusal(run(BOUND, Map.of(), "succeeded", false)));
    assertEquals(
        ProblemType.INVALID_CHALLENGE,
        refusal(run(BOUND, Map.of("externalId", 42), "succeeded", false)));
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("externalId", null);
    assertEquals(ProblemType.INVALID_CHALLENGE, refusal(run(BOUND, nullValue, "succeeded", false)));
    // The binding is checked before Stripe's answer is considered.
    assertEquals(
        ProblemType.INVALID_CHALLENGE,
        refusal(run(BOUND, Map.of("externalId", "order_43"), "succeeded", true)));
  }

  @Test
  void payloadExternalIdIsIgnoredWhenTheRequestBindsNone() {
    Verification v = run(UNBOUND, Map.of("externalId", "forged"), "succeeded", false);
    assertNull(assertInstanceOf(Verification.Verified.class, v).receipt().externalId());
  }

  @Test
  void replayedOrUnfinishedPaymentIsVerificationFailed() {
    Map<String, Object> ok = Map.of("externalId", "order_42");
    assertEquals(ProblemType.VERIFICATION_FAILED, refusal(run(BOUND, ok, "succeeded", true)));
    for (String status :
        new String[] {
          "requires_action",
          "requires_capture",
          "processing",
          "requires_payment_method",
          "canceled",
          "Weird Status!"
        }) {
      assertEquals(ProblemType.VERIFICATION_FAILED, refusal(run(BOUND, ok, status, false)), status);
    }
  }

  @Test
  void emptyIdOrStatusIsACallerError() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StripeMethod.externalIdBinding(UNBOUND, Map.of(), "", "succeeded", false));
    assertThrows(
        IllegalArgumentException.class,
        () -> StripeMethod.externalIdBinding(UNBOUND, Map.of(), "pi_1", "", false));
  }
}
