package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Receipt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example webapp, started as its own process with only environment variables set as the README
 * says, offers and charges Stripe once {@code STRIPE_SECRET_KEY} is set, against the strict Stripe
 * API stand-in ({@code STRIPE_API_BASE}).
 */
class ExampleWithStripeTest extends StripeExampleBase {
  static final String KEY = "sk_test_example_only";
  static final String SECRET = "example-stripe-test-secret-0123456789";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ExampleWithStripeTest() {
    super(KEY, Map.of("MPP_SECRET_KEY", SECRET));
  }

  HttpResponse<String> send(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(example.base() + path)).timeout(Duration.ofSeconds(20));
    if (body != null) {
      b.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Challenge> offers(HttpResponse<String> unpaid) throws Exception {
    assertEquals(402, unpaid.statusCode(), unpaid.body());
    return Challenge.parseAll(unpaid.headers().allValues("WWW-Authenticate"));
  }

  static Challenge offer(List<Challenge> offers, String method) {
    return offers.stream().filter(c -> c.method().equals(method)).findFirst().orElseThrow();
  }

  /** Pays {@code offer} with a Shared Payment Token; returns the paid answer. */
  HttpResponse<String> payWithStripe(String path, String body, Challenge offer, String spt)
      throws Exception {
    String authorization = Credential.of(offer, Map.of("spt", spt), null).toHeaderValue();
    return send(path, body, "Authorization", authorization);
  }

  @Test
  void withOnlyATestKeyBothRoutesOfferAndChargeStripe() throws Exception {
    startExample(Map.of()); // no MPP_METHODS, no STRIPE_NETWORK_ID

    List<Challenge> premiumOffers = offers(send("/api/premium", null));
    assertEquals(List.of("mock", "stripe"), premiumOffers.stream().map(Challenge::method).toList());
    Challenge premium = offer(premiumOffers, "stripe");
    assertEquals("50", premium.request().amount());
    assertEquals("usd", premium.request().currency());
    // The documented test-mode default, since STRIPE_NETWORK_ID is unset.
    assertEquals(
        ExampleServer.TEST_NETWORK_ID,
        premium.request().methodDetails().get("networkId").toString());

    HttpResponse<String> paid = payWithStripe("/api/premium", null, premium, "spt_example_123");
    assertEquals(200, paid.statusCode(), paid.body());
    assertTrue(paid.body().contains("Premium content"), paid.body());
    Receipt receipt = Receipt.parse(paid.headers().firstValue("Payment-Receipt").orElseThrow());
    assertEquals("stripe", receipt.method());
    assertTrue(receipt.reference().startsWith("pi_"), receipt.reference());
    assertOneCreate("spt_example_123", 50, premium.id());

    // The echo route is payable with Stripe too, bound to its body.
    String body = "{\"hello\":\"stripe\"}";
    List<Challenge> echoOffers = offers(send("/api/echo", body));
    assertEquals(List.of("mock", "stripe"), echoOffers.stream().map(Challenge::method).toList());
    Challenge echo = offer(echoOffers, "stripe");
    assertEquals("50", echo.request().amount());
    HttpResponse<String> echoed = payWithStripe("/api/echo", body, echo, "spt_example_456");
    assertEquals(200, echoed.statusCode(), echoed.body());
    assertEquals(body, echoed.body());
    assertEquals(
        "stripe",
        Receipt.parse(echoed.headers().firstValue("Payment-Receipt").orElseThrow()).method());
    assertOneCreate("spt_example_456", 50, echo.id());
    assertEquals(2, stripe.paymentIntentCreates().size());
    assertEquals(0, stripe.refusedCount(), () -> stripe.refusals().toString());

    String output = example.output();
    assertFalse(output.contains(KEY), "the API key was printed");
    assertFalse(output.contains("spt_example_"), "a token was printed");
  }

  @Test
  void stripeAloneStartsAndOffersOnlyStripeOnBothRoutes() throws Exception {
    startExample(Map.of("MPP_METHODS", "stripe", "STRIPE_NETWORK_ID", "profile_example"));

    List<Challenge> premiumOffers = offers(send("/api/premium", null));
    assertEquals(List.of("stripe"), premiumOffers.stream().map(Challenge::method).toList());
    Challenge premium = premiumOffers.get(0);
    assertEquals("profile_example", premium.request().methodDetails().get("networkId").toString());
    List<Challenge> echoOffers = offers(send("/api/echo", "hi"));
    assertEquals(List.of("stripe"), echoOffers.stream().map(Challenge::method).toList());

    HttpResponse<String> echoed = payWithStripe("/api/echo", "hi", echoOffers.get(0), "spt_a1");
    assertEquals(200, echoed.statusCode(), echoed.body());
    assertEquals("hi", echoed.body());
    assertOneCreate("spt_a1", 50, echoOffers.get(0).id());
    // A credential paid for one body does not buy another.
    HttpResponse<String> other = payWithStripe("/api/echo", "bye", echoOffers.get(0), "spt_a2");
    assertEquals(402, other.statusCode(), other.body());
    assertEquals(1, stripe.paymentIntentCreates().size());
  }

  @Test
  void aLiveKeyWithoutANetworkIdStopsTheStartSayingWhatToSet() throws Exception {
    String liveKey = "sk_live_example_never_printed";
    StringBuilder output = new StringBuilder();
    int exit =
        ExampleProcess.startExpectingExit(
            Map.of(
                "MPP_SECRET_KEY",
                SECRET,
                "MPP_METHODS",
                "stripe",
                "STRIPE_SECRET_KEY",
                liveKey,
                "STRIPE_API_BASE",
                stripe.baseUrl()),
            output);
    assertNotEquals(0, exit, output::toString);
    assertTrue(output.toString().contains("STRIPE_NETWORK_ID is not set"), output::toString);
    assertTrue(output.toString().contains("profile_"), output::toString);
    assertFalse(output.toString().contains(liveKey), "the API key was printed");
    assertEquals(0, stripe.paymentIntentCreates().size());
  }
}
