package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.stripe.StripeStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
class MppxStripeInteropTest {
  static final String KEY = "sk_test_mppx_interop";
  static final ObjectMapper JSON = new ObjectMapper();

  StripeStandIn stripe;
  ExampleProcess example;

  @BeforeEach
  void startStripe() {
    stripe = StripeStandIn.start(KEY);
  }

  @AfterEach
  void stop() throws Exception {
    if (example != null) {
      example.close();
    }
    stripe.close();
  }

  void startExample(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("MPP_REALM", "127.0.0.1");
    env.put("MPP_SECRET_KEY", "example-stripe-interop-secret-0123456789");
    env.put("STRIPE_SECRET_KEY", KEY);
    env.put("STRIPE_API_BASE", stripe.baseUrl());
    env.putAll(extra);
    example = ExampleProcess.start(env);
  }

  /** Runs pay.mjs with mppx's stripe client; returns its one-line JSON result. */
  JsonNode payWithMppx(String path, String spt, String... options) throws Exception {
    Path tools = MppxInteropTest.chainTools();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "node",
                "pay.mjs",
                example.base() + path,
                "--pay-with",
                "stripe",
                "--spt",
                spt,
                "--print-credential"));
    cmd.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tools.toFile());
    pb.environment().remove("MPPX_PRIVATE_KEY");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("mppx did not finish within 90 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
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

    List<LoggedRequest> creates =
        stripe.paymentIntentCreates().stream()
            .filter(r -> spt.equals(StripeStandIn.form(r).get("shared_payment_granted_token")))
            .toList();
    assertEquals(1, creates.size(), "PaymentIntent creates for " + spt);
    Map<String, String> form = StripeStandIn.form(creates.get(0));
    assertEquals(Long.toString(cents), form.get("amount"));
    assertEquals("usd", form.get("currency"));
    assertEquals(
        "mpp_" + challenge.path("id").asText() + "_" + spt,
        creates.get(0).getHeader("Idempotency-Key"));
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
