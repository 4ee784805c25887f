package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import io.mpp4j.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter in embedded Jetty over real HTTP: every row of the status table and more. */
class PaymentFilterTest {
  static final ObjectMapper JSON = new ObjectMapper();

  MutableClock clock;
  MockPaymentMethod mock;
  AtomicBoolean allowPayer;
  TestApp app;
  JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    clock = MutableClock.ofNow();
    mock = MockPaymentMethod.create();
    allowPayer = new AtomicBoolean(true);
    app = new TestApp();
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("filter-test-secret-0123456789abcdef"))
            .clock(clock)
            .method(mock)
            .method(MockPaymentMethod.create("alt", "eur", 2, "alt-merchant"))
            .payerPolicy((credential, request) -> allowPayer.get())
            .build();
    PaymentRequirement cent =
        PaymentRequirement.builder().amount("0.01").description("Premium").build();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(gate)
            .route("/api/premium", cent)
            .route(Set.of("POST"), "/api/echo", PaymentRequirement.builder().amount("0.02").build())
            .route("/api/early", cent)
            .route("/api/fail", cent)
            .route("/api/error", cent)
            .route("/api/cached", cent)
            .route("/api/forged", cent)
            .route("/api/secret/*", cent)
            .maxBodyBytes(1024)
            .build();
    jetty = JettyHarness.start(new PaymentFilter(config), app);
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  static JsonNode problem(JettyHarness.Response r) throws Exception {
    assertEquals(
        "application/problem+json;charset=utf-8",
        r.header("Content-Type").toLowerCase(java.util.Locale.ROOT).replace(" ", ""));
    return JSON.readTree(r.body());
  }

  JettyHarness.Response unpaid(String path) throws Exception {
    JettyHarness.Response r = jetty.get(path);
    assertEquals(402, r.status(), path);
    return r;
  }

  String payFor(String path) throws Exception {
    return MockPayer.pay(unpaid(path).all("WWW-Authenticate"));
  }

  void assert402WithFreshChallenge(JettyHarness.Response r, String type) throws Exception {
    assertEquals(402, r.status());
    assertFalse(r.all("WWW-Authenticate").isEmpty(), "every 402 carries a fresh challenge");
    assertEquals("no-store", r.header("Cache-Control"));
    assertNull(r.header("Payment-Receipt"));
    JsonNode p = problem(r);
    assertEquals("https://paymentauth.org/problems/" + type, p.path("type").asText());
    assertEquals(402, p.path("status").asInt());
    assertEquals(
        Challenge.parse(r.all("WWW-Authenticate").get(0)).id(), p.path("challengeId").asText());
  }

  @Test
  void freeRoutesPassThroughUntouched() throws Exception {
    JettyHarness.Response r = jetty.get("/free");
    assertEquals(200, r.status());
    assertEquals("served /free", r.text());
    assertNull(r.header("WWW-Authenticate"));
    assertNull(r.header("Payment-Receipt"));
    assertNull(r.header("Cache-Control"));
  }

  @Test
  void unpaidRequestGets402WithOneChallengePerMethod() throws Exception {
    JettyHarness.Response r = unpaid("/api/premium");
    List<String> challenges = r.all("WWW-Authenticate");
    assertEquals(2, challenges.size());
    assertEquals("mock", Challenge.parse(challenges.get(0)).method());
    assertEquals("alt", Challenge.parse(challenges.get(1)).method());
    Challenge c = Challenge.parse(challenges.get(0));
    assertEquals("api.test", c.realm());
    assertEquals("1", c.request().amount());
    assertEquals("Premium", c.description());
    assertEquals("no-store", r.header("Cache-Control"));
    JsonNode p = problem(r);
    assertEquals("https://paymentauth.org/problems/payment-required", p.path("type").asText());
    assertEquals(c.id(), p.path("challengeId").asText());
    assertEquals(0, app.premiumServed.get());
  }

  @Test
  void acceptPaymentOrdersTheChallenges() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/premium", "Accept-Payment", "alt/charge, mock/*;q=0.5");
    assertEquals("alt", Challenge.parse(r.all("WWW-Authenticate").get(0)).method());
    JettyHarness.Response only = jetty.get("/api/premium", "Accept-Payment", "mock/*;q=0, */*");
    assertEquals(1, only.all("WWW-Authenticate").size());
    assertEquals("alt", Challenge.parse(only.header("WWW-Authenticate")).method());
  }

  @Test
  void paidRequestIsServedWithReceiptAndPrivateCaching() throws Exception {
    String authorization = payFor("/api/premium");
    JettyHarness.Response r = jetty.get("/api/premium", "Authorization", authorization);
    assertEquals(200, r.status());
    assertEquals("served /api/premium", r.text());
    Receipt receipt = Receipt.parse(r.header("Payment-Receipt"));
    assertEquals("success", receipt.status());
    assertEquals("mock", receipt.method());
    assertEquals("private", r.header("Cache-Control"));
    assertNull(r.header("WWW-Authenticate"));
    assertEquals(1, app.premiumServed.get());
    assertEquals(1, mock.settled().size());
  }

  @Test
  void replayedCredentialIsRefusedWithAFreshChallenge() throws Exception {
    String authorization = payFor("/api/premium");
    assertEquals(200, jetty.get("/api/premium", "Authorization", authorization).status());
    JettyHarness.Response again = jetty.get("/api/premium", "Authorization", authorization);
    assert402WithFreshChallenge(again, "invalid-challenge");
    assertEquals("challenge_used", problem(again).path("reason").asText());
    assertEquals(1, app.premiumServed.get());
  }

  @Test
  void malformedCredential() throws Exception {
    assert402WithFreshChallenge(
        jetty.get("/api/premium", "Authorization", "Payment not-base64!!"), "malformed-credential");
  }

  @Test
  void tamperedCredential() throws Exception {
    Challenge c = Challenge.parse(unpaid("/api/premium").header("WWW-Authenticate"));
    Challenge cheaper =
        new Challenge(
            c.id(),
            c.realm(),
            c.method(),
            c.intent(),
            c.request().toBuilder().amount("0").build(),
            c.expires(),
            c.digest(),
            c.description(),
            c.opaque(),
            c.header());
    JettyHarness.Response r = jetty.get("/api/premium", "Authorization", MockPayer.pay(cheaper));
    assert402WithFreshChallenge(r, "invalid-challenge");
    assertEquals(0, app.premiumServed.get());
  }

  @Test
  void challengeForACheaperRouteCannotPayForThisOne() throws Exception {
    // /api/echo costs 0.02 and /api/premium 0.01; a premium challenge cannot pay for an echo.
    String cheap = payFor("/api/premium");
    JettyHarness.Response r =
        jetty.send(
            "POST", "/api/echo", "x".getBytes(StandardCharsets.UTF_8), "Authorization", cheap);
    assertEquals(402, r.status());
  }

  @Test
  void expiredCredential() throws Exception {
    String authorization = payFor("/api/premium");
    clock.advance(Duration.ofMinutes(6));
    assert402WithFreshChallenge(
        jetty.get("/api/premium", "Authorization", authorization), "payment-expired");
  }

  @Test
  void declinedAndFailedPayments() throws Exception {
    mock.mode(MockPaymentMethod.Mode.DECLINE);
    assert402WithFreshChallenge(
        jetty.get("/api/premium", "Authorization", payFor("/api/premium")), "verification-failed");
    mock.mode(MockPaymentMethod.Mode.FAIL);
    JettyHarness.Response failed =
        jetty.get("/api/premium", "Authorization", payFor("/api/premium"));
    assert402WithFreshChallenge(failed, "verification-failed");
    assertEquals("2", failed.header("Retry-After"));
    assertFalse(failed.text().contains("on purpose"), "backend text never reaches the client");
    assertEquals(0, app.premiumServed.get());
  }

  @Test
  void unsupportedMethodIs400() throws Exception {
    Challenge forged =
        Challenge.builder()
            .id("forged")
            .realm("api.test")
            .method("lightning")
            .request(PaymentRequest.empty())
            .expires("2099-01-01T00:00:00Z")
            .build();
    JettyHarness.Response r =
        jetty.get(
            "/api/premium",
            "Authorization",
            Credential.of(forged, Map.of("type", "mock", "token", "t"), null).toHeaderValue());
    assertEquals(400, r.status());
    assertEquals(
        "https://paymentauth.org/problems/method-unsupported", problem(r).path("type").asText());
  }

  @Test
  void severalCredentialsAre400() throws Exception {
    String a = payFor("/api/premium");
    JettyHarness.Response r =
        jetty.get(
            "/api/premium", "Authorization", a, "Payment-Authorization", payFor("/api/premium"));
    assertEquals(400, r.status());
    assertEquals("https://paymentauth.org/problems/bad-request", problem(r).path("type").asText());
  }

  @Test
  void refusedByPolicyIs403WithoutChallenge() throws Exception {
    allowPayer.set(false);
    JettyHarness.Response r = jetty.get("/api/premium", "Authorization", payFor("/api/premium"));
    assertEquals(403, r.status());
    assertTrue(r.all("WWW-Authenticate").isEmpty());
    assertEquals(0, mock.settled().size(), "nothing charged");
  }

  @Test
  void headWorksUnpaidAndPaid() throws Exception {
    JettyHarness.Response unpaid = jetty.send("HEAD", "/api/premium", null);
    assertEquals(402, unpaid.status());
    assertEquals(2, unpaid.all("WWW-Authenticate").size());
    assertEquals(0, unpaid.body().length);
    Challenge c = Challenge.parse(unpaid.header("WWW-Authenticate"));
    JettyHarness.Response paid =
        jetty.send("HEAD", "/api/premium", null, "Authorization", MockPayer.pay(c));
    assertEquals(200, paid.status());
    assertTrue(paid.header("Payment-Receipt") != null);
    assertEquals(0, paid.body().length);
  }

  @Test
  void receiptSurvivesAnEarlyCommit() throws Exception {
    JettyHarness.Response r = jetty.get("/api/early", "Authorization", payFor("/api/early"));
    assertEquals(200, r.status());
    assertEquals("early and more", r.text());
    assertTrue(r.header("Payment-Receipt") != null);
    assertEquals("private", r.header("Cache-Control"));
  }

  @Test
  void noReceiptOnErrorResponses() throws Exception {
    JettyHarness.Response failed = jetty.get("/api/fail", "Authorization", payFor("/api/fail"));
    assertEquals(500, failed.status());
    assertNull(failed.header("Payment-Receipt"));
    JettyHarness.Response error = jetty.get("/api/error", "Authorization", payFor("/api/error"));
    assertEquals(503, error.status());
    assertNull(error.header("Payment-Receipt"));
    JettyHarness.Response forged = jetty.get("/api/forged", "Authorization", payFor("/api/forged"));
    assertNull(forged.header("Payment-Receipt"), "the application cannot set a receipt itself");
  }

  @Test
  void applicationCacheControlBecomesPrivate() throws Exception {
    JettyHarness.Response r = jetty.get("/api/cached", "Authorization", payFor("/api/cached"));
    assertEquals(200, r.status());
    assertEquals("max-age=60, private", r.header("Cache-Control"));
  }

  @Test
  void bodyIsBoundAndStillReadableByTheApplication() throws Exception {
    byte[] body = "{\"message\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
    JettyHarness.Response unpaid = jetty.send("POST", "/api/echo", body);
    assertEquals(402, unpaid.status());
    Challenge c = Challenge.parse(unpaid.header("WWW-Authenticate"));
    assertTrue(c.digest().startsWith("sha-256=:"));
    JettyHarness.Response paid =
        jetty.send("POST", "/api/echo", body, "Authorization", MockPayer.pay(c));
    assertEquals(200, paid.status());
    assertEquals("{\"message\":\"hello\"}", paid.text());

    JettyHarness.Response tampered =
        jetty.send(
            "POST",
            "/api/echo",
            "{\"message\":\"HELLO\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            MockPayer.pay(
                Challenge.parse(jetty.send("POST", "/api/echo", body).header("WWW-Authenticate"))));
    assert402WithFreshChallenge(tampered, "invalid-challenge");
    assertEquals("digest_mismatch", problem(tampered).path("reason").asText());
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    JettyHarness.Response declared = jetty.send("POST", "/api/echo", new byte[2048]);
    assertEquals(413, declared.status());
    assertEquals(413, problem(declared).path("status").asInt());
    // Chunked, without a Content-Length: the cap applies while reading.
    String head =
        "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n";
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      chunked.write("200\r\n".getBytes(StandardCharsets.ISO_8859_1));
      chunked.write(new byte[512]);
      chunked.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    chunked.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    JettyHarness.Response r =
        jetty.exchange(head.getBytes(StandardCharsets.ISO_8859_1), chunked.toByteArray());
    assertEquals(413, r.status());
  }

  /** Ways to write a paid path (or one under a paid prefix) that must not slip past the filter. */
  static List<String> pathTricks() {
    return List.of(
        "/api/premium",
        "/API/premium",
        "/api/PREMIUM",
        "/api/%70remium",
        "/api/%2570remium",
        "/api/premium;jsessionid=abc",
        "/api;x=1/premium",
        "//api//premium",
        "/api/./premium",
        "/free/../api/premium",
        "/free/%2e%2e/api/premium",
        "/api%2Fpremium",
        "/api/premium/",
        "/api\\premium",
        "/api/secret/deep/file",
        "/api/secret",
        "/api/Secret/../secret/x",
        "/api/premium?free=1");
  }

  @ParameterizedTest
  @MethodSource("pathTricks")
  void noPathTrickReachesAPaidResourceUnpaid(String path) throws Exception {
    JettyHarness.Response r = jetty.get(path);
    assertTrue(
        r.status() == 402 || r.status() == 400, path + " gave " + r.status() + ": " + r.text());
    assertEquals(0, app.premiumServed.get(), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/%zz", "/../api/premium", "/api/%00premium", "/api/%c3%28"})
  void unnormalizablePathsAreRefused(String path) throws Exception {
    JettyHarness.Response r = jetty.get(path);
    assertEquals(400, r.status(), path);
    assertEquals(0, app.premiumServed.get());
  }

  @Test
  void fiftyConcurrentRequestsWithOneCredentialGiveExactlyOne200() throws Exception {
    String authorization = payFor("/api/premium");
    int n = 50;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        statuses.add(
            pool.submit(
                () -> {
                  go.await();
                  return jetty.get("/api/premium", "Authorization", authorization).status();
                }));
      }
      go.countDown();
      int ok = 0;
      for (Future<Integer> f : statuses) {
        int s = f.get(60, TimeUnit.SECONDS);
        if (s == 200) {
          ok++;
        } else {
          assertEquals(402, s);
        }
      }
      assertEquals(1, ok);
      assertEquals(1, app.premiumServed.get());
      assertEquals(1, mock.settled().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void credentialsReceiptsAndSecretsNeverReachTheLogs() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String authorization;
    JettyHarness.Response paid;
    try {
      authorization = payFor("/api/premium");
      paid = jetty.get("/api/premium", "Authorization", authorization);
      jetty.get("/api/premium", "Authorization", authorization);
      jetty.get("/api/premium", "Authorization", "Payment garbage!!");
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logs.contains("challengeId="), "the challenge id is the correlation id: " + logs);
    String token = authorization.substring("Payment ".length());
    assertFalse(logs.contains(token), "credential in logs");
    assertFalse(logs.contains(token.substring(0, 40)), "credential prefix in logs");
    assertFalse(logs.contains(paid.header("Payment-Receipt")), "receipt in logs");
    assertFalse(logs.contains("filter-test-secret"), "secret in logs");
    assertFalse(logs.contains("tok_"), "payment token in logs");
    assertNotEquals("", logs);
  }
}
