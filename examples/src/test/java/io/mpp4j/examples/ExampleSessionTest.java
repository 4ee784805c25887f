package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Intent;
import io.mpp4j.core.Receipt;
import io.mpp4j.test.MockSessionClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's session routes with the mock session method, on embedded Jetty with the defaults:
 * {@code GET /api/metered} (0.001 per request) and {@code GET /api/stream?n=N} (0.0001 per event),
 * paid by {@link MockSessionClient}'s credentials.
 */
class ExampleSessionTest {
  static final BigInteger REQUEST_PRICE = BigInteger.valueOf(1000); // 0.001 at six decimals
  static final BigInteger EVENT_PRICE = BigInteger.valueOf(100); // 0.0001
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000); // suggestedDeposit 1.00

  static Server server;
  static String base;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final MockSessionClient payer = MockSessionClient.create();

  @BeforeAll
  static void start() throws Exception {
    server = ExampleServer.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + ExampleServer.port(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A management request as mppx sends it: a bodiless POST to the paid URL, query included. */
  static HttpResponse<String> post(String path, String authorization) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Challenge challenge(String path) throws Exception {
    HttpResponse<String> unpaid = get(path, null);
    assertEquals(402, unpaid.statusCode(), unpaid.body());
    return MockSessionClient.challenge(unpaid.headers().allValues("WWW-Authenticate"));
  }

  static Receipt receipt(HttpResponse<?> r) throws Exception {
    return Receipt.parse(r.headers().firstValue("Payment-Receipt").orElseThrow());
  }

  @Test
  void meteredOffersASessionPricedPerRequest() throws Exception {
    Challenge c = challenge("/api/metered");
    assertEquals(Intent.SESSION, c.intent());
    assertEquals("1000", c.request().amount());
    assertEquals("request", c.request().get("unitType"));
    assertEquals("1000000", c.request().get("suggestedDeposit"));
    Challenge stream = challenge("/api/stream");
    assertEquals("100", stream.request().amount());
    assertEquals("event", stream.request().get("unitType"));
    assertEquals("1000000", stream.request().get("suggestedDeposit"));
  }

  @Test
  void meteredPaysPerRequestOnOneChannel() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge("/api/metered"));
    assertEquals(DEPOSIT, channel.deposit());
    HttpResponse<String> first = get("/api/metered", channel.openCredential());
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("Metered content"), first.body());
    Receipt r1 = receipt(first);
    assertEquals("session", r1.extra().get("intent"));
    assertEquals(channel.channelId(), r1.reference());
    assertEquals("1000", r1.extra().get("spent"));

    // One voucher signed ahead covers the next two requests; re-presenting it costs no signature.
    String ahead = channel.voucher(REQUEST_PRICE.multiply(BigInteger.valueOf(3)));
    for (int i = 2; i <= 3; i++) {
      HttpResponse<String> paid = get("/api/metered", ahead);
      assertEquals(200, paid.statusCode(), paid.body());
      assertEquals(String.valueOf(1000 * i), receipt(paid).extra().get("spent"));
    }
    // The stream route meters the same channel.
    Challenge stream = challenge("/api/stream?n=1");
    String streamed =
        channel.on(stream).voucher(REQUEST_PRICE.multiply(BigInteger.valueOf(3)).add(EVENT_PRICE));
    HttpResponse<String> events = get("/api/stream?n=1", streamed);
    assertEquals(200, events.statusCode(), events.body());
    assertEquals("3100", receipt(events).extra().get("spent"));
  }

  @Test
  void insufficientBalanceIs402WithRequiredTopUp() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge("/api/metered"));
    String open = channel.openCredential(); // the initial voucher covers one request
    assertEquals(200, get("/api/metered", open).statusCode());
    String covered = channel.voucher(REQUEST_PRICE);
    HttpResponse<String> refused = get("/api/metered", covered);
    assertEquals(402, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("session/insufficient-balance"), refused.body());
    assertTrue(refused.body().contains("\"requiredTopUp\":\"1000\""), refused.body());
    assertFalse(refused.body().contains("Metered content"));
    assertFalse(refused.headers().allValues("WWW-Authenticate").isEmpty());
  }

  @Test
  void managementPostsAre204WithoutRunningTheApplication() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge("/api/metered"));
    assertEquals(200, get("/api/metered", channel.openCredential()).statusCode());
    // A new voucher by POST: accepted, nothing charged, no content.
    BigInteger two = REQUEST_PRICE.multiply(BigInteger.TWO);
    HttpResponse<String> voucher = post("/api/metered", channel.voucher(two));
    assertEquals(204, voucher.statusCode(), voucher.body());
    assertEquals("", voucher.body());
    assertEquals("1000", receipt(voucher).extra().get("spent"));
    // A top-up by POST.
    HttpResponse<String> topUp = post("/api/metered", channel.topUp(DEPOSIT));
    assertEquals(204, topUp.statusCode(), topUp.body());
    // The voucher's coverage pays the next request.
    HttpResponse<String> paid = get("/api/metered", channel.voucher(two));
    assertEquals(200, paid.statusCode(), paid.body());
    assertEquals("2000", receipt(paid).extra().get("spent"));
    // Close: 204 with the close transaction's hash; the channel serves nothing more.
    HttpResponse<String> close = post("/api/metered", channel.close(two));
    assertEquals(204, close.statusCode(), close.body());
    assertNotNull(receipt(close).extra().get("txHash"));
    HttpResponse<String> after = get("/api/metered", channel.voucher(two.add(REQUEST_PRICE)));
    assertTrue(after.statusCode() >= 400, after.body());
    assertFalse(after.body().contains("Metered content"));
  }

  @Test
  void streamSendsNEventsInOrderOneChargeEach() throws Exception {
    int n = 7;
    Challenge c = challenge("/api/stream?n=" + n);
    MockSessionClient.Channel channel = payer.open(c);
    String open = channel.openCredential(EVENT_PRICE.multiply(BigInteger.valueOf(n)));
    HttpResponse<String> r = get("/api/stream?n=" + n, open);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
    List<String> data = new ArrayList<>();
    String event = "message";
    List<String> events = new ArrayList<>();
    for (String line : r.body().split("\n", -1)) {
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        events.add(event);
        if (event.equals("message")) {
          data.add(line.substring(5).strip());
        }
        event = "message";
      }
    }
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      expected.add("{\"seq\":" + k + "}");
    }
    assertEquals(expected, data);
    assertEquals("payment-receipt", events.get(events.size() - 1));
    assertNotNull(r.headers().firstValue("Payment-Receipt").orElse(null));
  }

  @Test
  void streamAsksForAVoucherMidStreamAndGoesOnWhenOneArrives() throws Exception {
    int n = 5;
    String path = "/api/stream?n=" + n;
    MockSessionClient.Channel channel = payer.open(challenge(path));
    String open = channel.openCredential(EVENT_PRICE.multiply(BigInteger.TWO)); // covers two
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", open)
            .GET()
            .build();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    List<String> data = new ArrayList<>();
    boolean askedForVoucher = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String event = "message";
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          String payload = line.substring(5).strip();
          if (event.equals("message")) {
            data.add(payload);
          } else if (event.equals("payment-need-voucher")) {
            askedForVoucher = true;
            assertTrue(payload.contains("\"requiredCumulative\":\"300\""), payload);
            // Pay for the rest on another request, as mppx does.
            HttpResponse<String> voucher =
                post(path, channel.voucher(EVENT_PRICE.multiply(BigInteger.valueOf(n))));
            assertEquals(204, voucher.statusCode(), voucher.body());
          }
          event = "message";
        }
      }
    }
    assertTrue(askedForVoucher);
    assertEquals(
        List.of("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}", "{\"seq\":4}", "{\"seq\":5}"), data);
  }

  @Test
  void aBadEventCountIs400BeforeAnyPayment() throws Exception {
    for (String query : List.of("n=0", "n=1001", "n=abc", "n=", "n=5&n=6", "n=-1", "n=01")) {
      HttpResponse<String> r = get("/api/stream?" + query, null);
      assertEquals(400, r.statusCode(), query);
      assertTrue(
          r.headers()
              .firstValue("Content-Type")
              .orElseThrow()
              .startsWith("application/problem+json"),
          query);
      assertTrue(r.body().contains("bad-request"), r.body());
      assertTrue(r.headers().allValues("WWW-Authenticate").isEmpty(), query);
    }
    assertEquals(402, get("/api/stream?n=1000", null).statusCode());
    assertEquals(402, get("/api/stream", null).statusCode());
  }
}
