package io.mpp4j.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Receipt;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example webapp, started as its own process with only environment variables set as the README
 * says, offers Stripe once {@code STRIPE_SECRET_KEY} is set, against WireMock standing in for the
 * Stripe API ({@code STRIPE_API_BASE}).
 */
class ExampleWithStripeTest {
  WireMockServer stripe;
  Process server;
  String base;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    stripe = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    stripe.start();
    stripe.stubFor(
        post(urlEqualTo("/v1/payment_intents"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Request-Id", "req_example")
                    .withBody(
                        "{\"id\":\"pi_example_1\",\"object\":\"payment_intent\",\"amount\":50,"
                            + "\"currency\":\"usd\",\"status\":\"succeeded\"}")));
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ExampleServer.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.remove("MPP_METHODS");
    env.put("PORT", Integer.toString(port));
    env.put("MPP_SECRET_KEY", "example-stripe-test-secret-0123456789");
    env.put("STRIPE_SECRET_KEY", "sk_test_example_only");
    env.put("STRIPE_API_BASE", "http://127.0.0.1:" + stripe.port());
    env.put("STRIPE_NETWORK_ID", "profile_example");
    server = pb.start();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (get("/free", List.of()).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (System.nanoTime() > deadline || !server.isAlive()) {
        throw new IllegalStateException("example did not start");
      }
      Thread.sleep(200);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
    stripe.stop();
  }

  HttpResponse<String> get(String path, List<String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void stripeIsOfferedAndSettlesThroughTheApiBase() throws Exception {
    HttpResponse<String> unpaid = get("/api/premium", List.of());
    assertEquals(402, unpaid.statusCode());
    List<Challenge> offers = Challenge.parseAll(unpaid.headers().allValues("WWW-Authenticate"));
    assertEquals(List.of("mock", "stripe"), offers.stream().map(Challenge::method).toList());
    Challenge stripeOffer = offers.get(1);
    assertEquals("50", stripeOffer.request().amount());
    assertEquals("usd", stripeOffer.request().currency());

    String authorization =
        Credential.of(stripeOffer, Map.of("spt", "spt_example_123"), null).toHeaderValue();
    HttpResponse<String> paid = get("/api/premium", List.of("Authorization", authorization));
    assertEquals(200, paid.statusCode(), paid.body());
    Receipt receipt = Receipt.parse(paid.headers().firstValue("Payment-Receipt").orElseThrow());
    assertEquals("stripe", receipt.method());
    assertEquals("pi_example_1", receipt.reference());
    stripe.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/payment_intents"))
            .withHeader("Idempotency-Key", equalTo("mpp_" + stripeOffer.id() + "_spt_example_123"))
            .withRequestBody(containing("shared_payment_granted_token=spt_example_123")));

    // The 0.01 echo route is below Stripe's minimum: only the mock is offered there.
    HttpResponse<String> echo =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("hi"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(402, echo.statusCode());
    assertTrue(
        Challenge.parseAll(echo.headers().allValues("WWW-Authenticate")).stream()
            .allMatch(c -> c.method().equals("mock")));
  }
}
