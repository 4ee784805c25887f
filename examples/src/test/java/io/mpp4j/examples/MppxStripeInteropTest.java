package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpp4j.core.Receipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop: the reference TypeScript client (mppx 0.11.0, pinned in tools/chain) pays the example
 * webapp's routes with Stripe. The example runs as its own process with only a test-mode {@code
 * STRIPE_SECRET_KEY} and {@code STRIPE_API_BASE} pointing at the strict Stripe stand-in; mppx's
 * token callback answers with a token the test makes (pay.mjs {@code --pay-with stripe}), so
 * nothing leaves this machine. Tagged {@code chain} with the other tests that need tools/chain (it
 * needs mppx, not anvil).
 */
@Tag("chain")
class MppxStripeInteropTest extends StripeExampleBase {
  static final String KEY = "sk_test_mppx_interop";

  MppxStripeInteropTest() {
    super(
        KEY,
        Map.of(
            "MPP_REALM", "127.0.0.1",
            "MPP_SECRET_KEY", "example-stripe-interop-secret-0123456789"));
  }

  /** Runs pay.mjs with mppx's stripe client; returns its one-line JSON result. */
  JsonNode payWithMppx(String path, String spt, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--pay-with", "stripe", "--spt", spt, "--print-credential"));
    args.addAll(List.of(options));
    return MppxClient.pay(example.base() + path, args, Map.of());
  }

  /**
   * A 200 with a stripe receipt, for one PaymentIntent of {@code cents} usd made with the token.
   */
  void assertPaidWithStripe(JsonNode result, String spt, long cents) throws Exception {
    assertEquals(200, result.path("status").asInt(), result.toString());
    Receipt receipt = Receipt.parse(result.path("paymentReceipt").asText());
    assertEquals("stripe", receipt.method());
    assertEquals("success", receipt.status());
    assertTrue(receipt.reference().startsWith("pi_"), receipt.reference());

    // What mppx asked the token callback for, from the challenge it chose.
    JsonNode asked = result.path("tokenRequest");
    assertEquals(Long.toString(cents), asked.path("amount").asText(), result.toString());
    assertEquals("usd", asked.path("currency").asText());
    assertEquals(ExampleServer.TEST_NETWORK_ID, asked.path("networkId").asText());
    JsonNode challenge = result.path("credential").path("challenge");
    assertEquals("stripe", challenge.path("method").asText());
    assertEquals(spt, result.path("credential").path("payload").path("spt").asText());

    assertOneCreate(spt, cents, challenge.path("id").asText());
  }

  void mppxPaysBothRoutes() throws Exception {
    assertPaidWithStripe(
        payWithMppx("/api/premium", "spt_test_premium_1"), "spt_test_premium_1", 50);

    String body = "{\"hello\":\"mppx\"}";
    JsonNode echo = payWithMppx("/api/echo", "spt_test_echo_1", "--method", "POST", "--data", body);
    assertPaidWithStripe(echo, "spt_test_echo_1", 50);
    assertEquals(body, echo.path("body").asText());

    assertEquals(2, stripe.paymentIntentCreates().size());
    assertEquals(0, stripe.refusedCount(), () -> stripe.refusals().toString());
  }

  @Test
  void mppxPaysTheExampleWithOnlyAStripeTestKeySet() throws Exception {
    startExample(Map.of()); // offers mock and stripe; mppx picks stripe
    mppxPaysBothRoutes();
  }

  @Test
  void mppxPaysTheExampleWithStripeAlone() throws Exception {
    startExample(Map.of("MPP_METHODS", "stripe"));
    mppxPaysBothRoutes();
  }
}
