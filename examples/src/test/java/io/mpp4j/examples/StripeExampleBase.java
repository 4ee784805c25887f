package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.stripe.StripeStandIn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests that pay the example with Stripe share: per test, the strict Stripe stand-in for
 * one API key, the example started as its own process against it, and the check of the one
 * PaymentIntent a payment made.
 */
abstract class StripeExampleBase {
  private final String key;
  private final Map<String, String> env;
  StripeStandIn stripe;
  ExampleProcess example;

  /**
   * @param key the only API key the stand-in accepts, the example's {@code STRIPE_SECRET_KEY}
   * @param env what every start of the example sets besides the Stripe key and API base
   */
  StripeExampleBase(String key, Map<String, String> env) {
    this.key = key;
    this.env = Map.copyOf(env);
  }

  @BeforeEach
  void startStripe() {
    stripe = StripeStandIn.start(key);
  }

  @AfterEach
  void stop() throws Exception {
    if (example != null) {
      example.close();
    }
    stripe.close();
  }

  /** Starts the example with the key, the stand-in as API base, the common settings and extra. */
  void startExample(Map<String, String> extra) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("STRIPE_SECRET_KEY", key);
    all.put("STRIPE_API_BASE", stripe.baseUrl());
    all.putAll(extra);
    example = ExampleProcess.start(all);
  }

  /**
   * The create the stand-in saw for {@code spt}: exactly one, for {@code cents} usd, idempotent per
   * challenge and token.
   */
  void assertOneCreate(String spt, long cents, String challengeId) {
    List<LoggedRequest> creates =
        stripe.paymentIntentCreates().stream()
            .filter(r -> spt.equals(StripeStandIn.form(r).get("shared_payment_granted_token")))
            .toList();
    assertEquals(1, creates.size(), "PaymentIntent creates for " + spt);
    Map<String, String> form = StripeStandIn.form(creates.get(0));
    assertEquals(Long.toString(cents), form.get("amount"));
    assertEquals("usd", form.get("currency"));
    assertEquals("mpp_" + challengeId + "_" + spt, creates.get(0).getHeader("Idempotency-Key"));
  }
}
