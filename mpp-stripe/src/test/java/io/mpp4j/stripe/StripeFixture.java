package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The strict Stripe stand-in on a loopback socket, and a gate using the stripe method on it. */
final class StripeFixture implements AutoCloseable {
  static final String API_KEY = "sk_test_fixtureKey51HXyZAbCdEfGhIjKlMnOp";
  static final String NETWORK_ID = "profile_test_61RZ";
  static final String SECRET = "stripe-fixture-secret-0123456789abcdef";

  final StripeStandIn standIn;
  final String apiBase;

  StripeFixture() {
    standIn = StripeStandIn.start(API_KEY);
    apiBase = standIn.baseUrl();
  }

  /** A config pointing at the stand-in, with fast retries. */
  StripeConfig.Builder config() {
    return StripeConfig.builder()
        .apiKey(API_KEY)
        .apiBase(apiBase)
        .networkId(NETWORK_ID)
        .retryBackoff(Duration.ofMillis(20))
        .readTimeout(Duration.ofSeconds(5));
  }

  static PaymentGate gate(StripeMethod method) {
    return PaymentGate.builder()
        .realm("api.example.com")
        .secret(ChallengeSecret.of(SECRET))
        .method(method)
        .build();
  }

  static RequestView unpaid() {
    return RequestView.builder().path("/premium").build();
  }

  /** Asks the gate for a fresh stripe challenge. */
  static Challenge challenge(PaymentGate gate, PaymentRequirement requirement) {
    GateResult r = gate.evaluate(requirement, unpaid());
    return ((GateResult.PaymentRequired) r).challenges().get(0);
  }

  static RequestView paid(Credential credential) {
    return RequestView.builder()
        .path("/premium")
        .header("Authorization", credential.toHeaderValue())
        .build();
  }

  /** A credential paying the challenge with the token. */
  static Credential credential(Challenge challenge, String spt) {
    return Credential.of(challenge, Map.of("spt", spt), null);
  }

  // --- Stripe answers ------------------------------------------------------------------------

  static ResponseDefinitionBuilder json(int status, String body) {
    return StripeStandIn.json(status, body, "req_fixture123");
  }

  static ResponseDefinitionBuilder ok(String id, long amount, String currency, String status) {
    return json(200, StripeStandIn.paymentIntentJson(id, amount, currency, status));
  }

  static ResponseDefinitionBuilder replayed(
      String id, long amount, String currency, String status) {
    return ok(id, amount, currency, status).withHeader("Idempotent-Replayed", "true");
  }

  /** A Stripe error whose message quotes the token, as real errors can. */
  static ResponseDefinitionBuilder error(int status, String type, String code, String quoted) {
    return json(
        status,
        "{\"error\":{\"type\":\""
            + type
            + "\",\"code\":\""
            + code
            + "\",\"message\":\"Stripe says no to "
            + quoted
            + " with key "
            + API_KEY
            + "\"}}");
  }

  /** Scripts the answers to accepted creates (see {@link StripeStandIn#answerCreates}). */
  void answerCreates(ResponseDefinitionBuilder... answers) {
    standIn.answerCreates(answers);
  }

  void answerCaptures(String paymentIntentId, ResponseDefinitionBuilder... answers) {
    standIn.answerCaptures(paymentIntentId, answers);
  }

  void answerCancels(String paymentIntentId, ResponseDefinitionBuilder... answers) {
    standIn.answerCancels(paymentIntentId, answers);
  }

  /** The accepted creates. */
  List<LoggedRequest> creates() {
    return standIn.paymentIntentCreates();
  }

  List<LoggedRequest> captures(String paymentIntentId) {
    return standIn.captures(paymentIntentId);
  }

  List<LoggedRequest> cancels(String paymentIntentId) {
    return standIn.cancels(paymentIntentId);
  }

  /** Decodes an {@code application/x-www-form-urlencoded} body into a sorted map. */
  static Map<String, String> form(LoggedRequest request) {
    return StripeStandIn.form(request);
  }

  /** Every request the stripe method sent passed the stand-in's rules. */
  void assertNothingRefused() {
    assertEquals(List.of(), standIn.refusals(), "requests Stripe would have refused");
  }

  /** No secret in what a client or a log would see. */
  static void assertNoSecrets(String text, String spt) {
    assertFalse(text.contains(spt), () -> "token leaked: " + text);
    assertFalse(text.contains(API_KEY), () -> "API key leaked: " + text);
    assertFalse(text.contains("Stripe says no"), () -> "Stripe's text leaked: " + text);
  }

  static void assertNoSecrets(GateResult result, String spt) {
    if (result instanceof GateResult.Rejected r) {
      assertNoSecrets(new String(r.problem().toJson(), StandardCharsets.UTF_8), spt);
      for (Challenge c : r.challenges()) {
        assertNoSecrets(c.toHeaderValue(), spt);
      }
    } else if (result instanceof GateResult.Paid p) {
      assertNoSecrets(p.receipt().toJsonMap().toString(), spt);
    }
  }

  @Override
  public void close() {
    standIn.close();
  }
}
