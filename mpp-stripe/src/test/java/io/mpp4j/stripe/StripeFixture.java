package io.mpp4j.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentRequirement;
import io.mpp4j.server.RequestView;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A WireMock Stripe stand-in on a loopback socket, and a gate using the stripe method on it. */
final class StripeFixture implements AutoCloseable {
  static final String API_KEY = "sk_test_fixtureKey51HXyZAbCdEfGhIjKlMnOp";
  static final String NETWORK_ID = "profile_test_61RZ";
  static final String PI_PATH = "/v1/payment_intents";
  static final String SECRET = "stripe-fixture-secret-0123456789abcdef";

  final WireMockServer server;
  final String apiBase;

  StripeFixture() {
    server =
        new WireMockServer(
            WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(40)
                .asynchronousResponseEnabled(false));
    server.start();
    apiBase = "http://127.0.0.1:" + server.port();
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

  static String paymentIntent(String id, long amount, String currency, String status) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"payment_intent\",\"amount\":"
        + amount
        + ",\"currency\":\""
        + currency
        + "\",\"status\":\""
        + status
        + "\",\"livemode\":false,\"metadata\":{}}";
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", "req_fixture123")
        .withBody(body);
  }

  static ResponseDefinitionBuilder ok(String id, long amount, String currency, String status) {
    return json(200, paymentIntent(id, amount, currency, status));
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

  MappingBuilder createStub() {
    return post(urlEqualTo(PI_PATH));
  }

  List<LoggedRequest> creates() {
    return server.findAll(postRequestedFor(urlEqualTo(PI_PATH)));
  }

  List<LoggedRequest> posts(String path) {
    return server.findAll(postRequestedFor(urlEqualTo(path)));
  }

  /** Decodes an {@code application/x-www-form-urlencoded} body into a sorted map. */
  static Map<String, String> form(LoggedRequest request) {
    Map<String, String> fields = new TreeMap<>();
    String body = request.getBodyAsString();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      fields.put(key, value);
    }
    return fields;
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
    server.stop();
  }
}
