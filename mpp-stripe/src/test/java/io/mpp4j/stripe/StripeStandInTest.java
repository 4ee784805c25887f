package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe stand-in refuses what Stripe refuses and answers the rest like Stripe. */
class StripeStandInTest {
  private static final String KEY = "sk_test_standInKey4242";
  private static final String CHALLENGE = "q3Tz9aVbW8xYc7dEf6gHi5jKl4mNo3pQr2sTu1vWx0y";
  private static final String SPT = "spt_test_abc123";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private StripeStandIn stripe;

  @BeforeEach
  void start() {
    stripe = StripeStandIn.start(KEY);
  }

  @AfterEach
  void stop() {
    stripe.close();
  }

  /** A request as the stripe method sends it, to alter one part at a time. */
  private final class Call {
    String method = "POST";
    String path = StripeStandIn.PAYMENT_INTENTS_PATH;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Map<String, String> form = new LinkedHashMap<>();

    Call() {
      headers.put("Authorization", "Bearer " + KEY);
      headers.put("Stripe-Version", "2026-07-29.preview");
      headers.put("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
      headers.put("Idempotency-Key", "mpp_" + CHALLENGE + "_" + SPT);
      form.put("amount", "100");
      form.put("currency", "usd");
      form.put("confirm", "true");
      form.put("automatic_payment_methods[enabled]", "true");
      form.put("automatic_payment_methods[allow_redirects]", "never");
      form.put("shared_payment_granted_token", SPT);
      form.put("metadata[mpp_challenge_id]", CHALLENGE);
    }

    HttpResponse<String> send() throws Exception {
      String body =
          form.entrySet().stream()
              .map(
                  e ->
                      URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                          + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(stripe.baseUrl() + path))
              .timeout(Duration.ofSeconds(5))
              .method(method, HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(b::header);
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private JsonNode error(HttpResponse<String> response, int status) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Request-Id").orElse("").startsWith("req_"));
    JsonNode error = json.readTree(response.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText(), response.body());
    assertFalse(error.get("message").asText().isEmpty());
    assertFalse(response.body().contains(KEY), "the key is never echoed");
    return error;
  }

  private void assertRefusedOnly(int refusals) {
    assertEquals(refusals, stripe.refusedCount());
    assertEquals(0, stripe.paymentIntentCreates().size(), "a refused create is not accepted");
  }

  // --- accepted --------------------------------------------------------------------------------

  @Test
  void answersAValidCreateWithAPaymentIntentEchoingTheForm() throws Exception {
    Call call = new Call();
    call.form.put("amount", "1250");
    call.form.put("currency", "kwd");

    HttpResponse<String> response = call.send();

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Request-Id").orElse("").startsWith("req_"));
    assertTrue(response.headers().firstValue("Idempotent-Replayed").isEmpty());
    JsonNode pi = json.readTree(response.body());
    assertTrue(pi.get("id").asText().startsWith("pi_"), response.body());
    assertEquals("payment_intent", pi.get("object").asText());
    assertEquals(1250, pi.get("amount").asLong());
    assertEquals("kwd", pi.get("currency").asText());
    assertEquals("succeeded", pi.get("status").asText());
    assertEquals(CHALLENGE, pi.get("metadata").get("mpp_challenge_id").asText());
    assertEquals(1, stripe.paymentIntentCreates().size());
    assertEquals(0, stripe.refusedCount());
  }

  @Test
  void sameKeyAndFormIsAReplayAndAnotherFormAnIdempotencyError() throws Exception {
    HttpResponse<String> first = new Call().send();
    HttpResponse<String> again = new Call().send();

    assertEquals(200, again.statusCode());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(first.body(), again.body());

    Call other = new Call();
    other.form.put("amount", "200");
    HttpResponse<String> conflict = other.send();
    assertEquals(400, conflict.statusCode());
    assertEquals(
        "idempotency_error", json.readTree(conflict.body()).get("error").get("type").asText());
  }

  @Test
  void manualCaptureAuthorizesThenCapturesOnceAndCancelsNothingCaptured() throws Exception {
    Call create = new Call();
    create.form.put("capture_method", "manual");
    JsonNode pi = json.readTree(create.send().body());
    assertEquals("requires_capture", pi.get("status").asText());
    String id = pi.get("id").asText();

    Call capture = new Call();
    capture.path = "/v1/payment_intents/" + id + "/capture";
    capture.form.clear();
    capture.headers.put("Idempotency-Key", "mpp_capture_" + id);
    HttpResponse<String> captured = capture.send();
    assertEquals(200, captured.statusCode(), captured.body());
    assertEquals("succeeded", json.readTree(captured.body()).get("status").asText());
    assertEquals(1, stripe.captures(id).size());

    Call cancel = new Call();
    cancel.path = "/v1/payment_intents/" + id + "/cancel";
    cancel.form.clear();
    cancel.form.put("cancellation_reason", "abandoned");
    cancel.headers.put("Idempotency-Key", "mpp_cancel_" + id);
    JsonNode refused = json.readTree(cancel.send().body()).get("error");
    assertEquals("payment_intent_unexpected_state", refused.get("code").asText());

    Call unknown = new Call();
    unknown.path = "/v1/payment_intents/pi_unknown/capture";
    unknown.form.clear();
    unknown.headers.put("Idempotency-Key", "mpp_capture_pi_unknown");
    assertEquals("resource_missing", error(unknown.send(), 404).get("code").asText());
  }

  @Test
  void tokenMayBeNestedInPaymentMethodData() throws Exception {
    Call call = new Call();
    call.form.remove("shared_payment_granted_token");
    call.form.put("payment_method_data[shared_payment_granted_token]", SPT);
    assertEquals(200, call.send().statusCode());
  }

  // --- refused ---------------------------------------------------------------------------------

  /** The proof: a form without its content type is refused, before any scripted answer. */
  @Test
  void refusesACreateWithoutTheFormContentType() throws Exception {
    stripe.answerCreates(StripeStandIn.json(500, "{\"error\":{\"type\":\"api_error\"}}"));
    Call call = new Call();
    call.headers.remove("Content-Type");

    error(call.send(), 400);

    assertRefusedOnly(1);
    StripeStandIn.Refusal r = stripe.refusals().get(0);
    assertEquals("POST", r.method());
    assertEquals(StripeStandIn.PAYMENT_INTENTS_PATH, r.path());
    assertEquals(400, r.status());
  }

  @Test
  void refusesAnotherContentType() throws Exception {
    for (String type :
        new String[] {
          "application/json", "text/plain", "application/x-www-form-urlencoded;charset=ISO-8859-1"
        }) {
      Call call = new Call();
      call.headers.put("Content-Type", type);
      error(call.send(), 400);
    }
    assertRefusedOnly(3);
  }

  @Test
  void refusesAMissingOrWrongKey() throws Exception {
    Call missing = new Call();
    missing.headers.remove("Authorization");
    assertTrue(error(missing.send(), 401).get("message").asText().contains("No API key"));

    Call wrong = new Call();
    wrong.headers.put("Authorization", "Bearer sk_test_other");
    assertEquals("api_key_invalid", error(wrong.send(), 401).get("code").asText());

    Call basic = new Call();
    basic.headers.put("Authorization", "Basic " + KEY);
    error(basic.send(), 401);
    assertRefusedOnly(3);
  }

  @Test
  void refusesAMissingOrOtherStripeVersion() throws Exception {
    Call missing = new Call();
    missing.headers.remove("Stripe-Version");
    error(missing.send(), 400);

    Call other = new Call();
    other.headers.put("Stripe-Version", "2024-06-20");
    error(other.send(), 400);
    assertRefusedOnly(2);
  }

  @Test
  void refusesAMissingOrForeignIdempotencyKey() throws Exception {
    Call missing = new Call();
    missing.headers.remove("Idempotency-Key");
    error(missing.send(), 400);

    Call otherToken = new Call();
    otherToken.headers.put("Idempotency-Key", "mpp_" + CHALLENGE + "_spt_other");
    error(otherToken.send(), 400);

    Call unprefixed = new Call();
    unprefixed.headers.put("Idempotency-Key", CHALLENGE + "_" + SPT);
    error(unprefixed.send(), 400);

    Call otherChallenge = new Call();
    otherChallenge.form.put("metadata[mpp_challenge_id]", "another");
    error(otherChallenge.send(), 400);
    assertRefusedOnly(4);
  }

  @Test
  void refusesAFormMissingARequiredField() throws Exception {
    String[] required = {
      "amount",
      "currency",
      "confirm",
      "automatic_payment_methods[enabled]",
      "automatic_payment_methods[allow_redirects]",
      "shared_payment_granted_token"
    };
    for (String field : required) {
      Call call = new Call();
      call.form.remove(field);
      JsonNode error = error(call.send(), 400);
      assertEquals("parameter_missing", error.get("code").asText(), field);
      assertEquals(field, error.get("param").asText());
    }
    assertRefusedOnly(required.length);
  }

  @Test
  void refusesWrongFieldValues() throws Exception {
    Map<String, String> wrong = new LinkedHashMap<>();
    wrong.put("amount", "1.00");
    wrong.put("confirm", "false");
    wrong.put("automatic_payment_methods[allow_redirects]", "always");
    wrong.put("capture_method", "later");
    wrong.put("currency", "usdc");
    wrong.put("metadata[mpp_sdk]", "x".repeat(501));
    for (Map.Entry<String, String> e : wrong.entrySet()) {
      Call call = new Call();
      call.form.put(e.getKey(), e.getValue());
      assertEquals(e.getKey(), error(call.send(), 400).get("param").asText());
    }
    Call twice = new Call();
    twice.form.put("payment_method_data[shared_payment_granted_token]", SPT);
    error(twice.send(), 400);
    assertRefusedOnly(wrong.size() + 1);
  }

  @Test
  void refusesAnUnknownTopLevelField() throws Exception {
    Call call = new Call();
    call.form.put("payment_token", SPT);
    JsonNode error = error(call.send(), 400);
    assertEquals("parameter_unknown", error.get("code").asText());
    assertEquals("payment_token", error.get("param").asText());
    assertRefusedOnly(1);
  }

  @Test
  void refusesAnUnknownPathOrMethod() throws Exception {
    Call path = new Call();
    path.path = "/v1/charges";
    error(path.send(), 404);

    Call method = new Call();
    method.method = "PUT";
    error(method.send(), 404);

    Call query = new Call();
    query.path = StripeStandIn.PAYMENT_INTENTS_PATH + "?amount=100";
    error(query.send(), 404);
    assertRefusedOnly(3);
  }

  @Test
  void scriptedAnswersFollowInTurnAndAreReplaced() throws Exception {
    stripe.answerCreates(
        StripeStandIn.error(503, "api_error", null, "down"),
        StripeStandIn.paymentIntent("pi_second", 100, "usd", "succeeded"));

    assertEquals(503, new Call().send().statusCode());
    assertEquals("pi_second", json.readTree(new Call().send().body()).get("id").asText());
    assertEquals("pi_second", json.readTree(new Call().send().body()).get("id").asText());

    stripe.answerCreates(StripeStandIn.replayed("pi_third", 100, "usd", "succeeded"));
    HttpResponse<String> third = new Call().send();
    assertEquals("pi_third", json.readTree(third.body()).get("id").asText());
    assertEquals("true", third.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(4, stripe.paymentIntentCreates().size());
    assertEquals(0, stripe.refusedCount());
  }

  @Test
  void eachStandInHasItsOwnPortAndState() throws Exception {
    try (StripeStandIn other = StripeStandIn.start("sk_test_other")) {
      assertNotEquals(stripe.port(), other.port());
      new Call().send();
      assertEquals(0, other.paymentIntentCreates().size());
      assertEquals(0, other.refusedCount());
      assertEquals(1, stripe.paymentIntentCreates().size());
    }
  }
}
