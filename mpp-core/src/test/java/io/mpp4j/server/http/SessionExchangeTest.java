package io.mpp4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.TestMethod;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.routing.RouteTable;
import io.mpp4j.spi.Delivery;
import io.mpp4j.testing.UnitSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions in the framework-neutral handler, with an in-memory exchange: the paid event stream (one
 * charge per event after the first, the payment prompt, the hold and its timeout, the final receipt
 * event, a client that goes away), the acknowledgement of management requests (204, application not
 * run) and the routing of a session's POST and HEAD. The intent handler and its balance are test
 * doubles: a counter of paid units that other threads top up, as a channel's vouchers would.
 */
class SessionExchangeTest {
  static final String PAYER = "did:pkh:eip155:42431:0x1111111111111111111111111111111111111111";

  /** A test method that also offers the session intent. */
  static final class SessionMethod extends TestMethod {
    SessionMethod() {
      super("test");
    }

    @Override
    public Set<Intent> intents() {
      return Set.of(Intent.CHARGE, Intent.SESSION);
    }
  }

  /** The application: what it does with the exchange, and how often it ran. */
  interface Body {
    void run(@Nullable PaidExchange paid, byte @Nullable [] body) throws IOException;
  }

  UnitSessions balance;
  UnitSessions sessions;
  PaymentHandler handler;
  ExecutorService executor;
  int runs;

  @BeforeEach
  void setUp() {
    balance = new UnitSessions(10);
    executor = Executors.newSingleThreadExecutor();
    handler = handler(Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
  }

  PaymentHandler handler(Duration hold) {
    sessions = balance;
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("session-test-secret-0123456789abcdef"))
            .method(new SessionMethod())
            .intentHandler(Intent.SESSION, sessions)
            .build();
    PaymentRequirement metered =
        PaymentRequirement.builder()
            .intent(Intent.SESSION)
            .amount("0.0001")
            .session(SessionTerms.of("event"))
            .build();
    return new PaymentHandler(
        gate,
        new RouteTable(
            List.of(new PaidRoute("stream", Set.of("GET"), "/api/stream", metered, null))),
        1024,
        true,
        hold);
  }

  void handle(TestExchange exchange, Body body) throws IOException {
    handler.handle(
        exchange,
        (paid, bytes) -> {
          runs++;
          body.run(paid, bytes);
        });
  }

  /** A credential for the route's challenge (fetched with an unpaid GET), with its payload. */
  String credential(Map<String, ?> payload) throws Exception {
    TestExchange unpaid = TestExchange.get("/api/stream");
    handle(unpaid, (p, b) -> {});
    assertEquals(402, unpaid.response.status);
    Challenge challenge = Challenge.parse(unpaid.response.all(MppHeaders.WWW_AUTHENTICATE).get(0));
    return Credential.of(challenge, payload, PAYER).toHeaderValue();
  }

  TestExchange paid(String method) throws Exception {
    TestExchange e = TestExchange.get("/api/stream");
    e.method = method;
    return e.header("Authorization", credential(Map.of("action", "voucher")));
  }

  /** The application: sends {@code n} events through the exchange's event stream. */
  static Body events(int n, List<Boolean> results) {
    return (paid, body) -> {
      PaidEventStream stream = Objects.requireNonNull(Objects.requireNonNull(paid).eventStream());
      for (int k = 1; k <= n; k++) {
        results.add(stream.send(null, "{\"seq\":" + k + "}"));
      }
    };
  }

  static String messages(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k <= to; k++) {
      sb.append("data: {\"seq\":").append(k).append("}\n\n");
    }
    return sb.toString();
  }

  /** The final event: the stream's receipt after the settlement (spent = units charged). */
  static String receiptEvent(long spent) {
    return "event: payment-receipt\ndata: {\"status\":\"success\",\"method\":\"test\","
        + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"reference\":\"0xc1\",\"intent\":\"session\","
        + "\"spent\":\""
        + spent
        + "\"}\n\n";
  }

  Delivery onlyDelivery() {
    assertEquals(1, sessions.deliveries.size(), "settled exactly once");
    return sessions.deliveries.get(0);
  }

  @Test
  void eachEventAfterTheFirstIsChargedOnceAndTheStreamEndsWithTheReceipt() throws Exception {
    TestExchange e = paid("GET");
    List<Boolean> results = new ArrayList<>();
    handle(e, events(5, results));
    assertEquals(List.of(true, true, true, true, true), results);
    assertEquals(5, balance.charged(), "one unit per event, the first paid by the opening charge");
    assertEquals(200, e.response.status);
    assertTrue(e.response.header("Content-Type").startsWith("text/event-stream"));
    assertTrue(e.response.flushes >= 6, "each event flushed");
    assertEquals("no-cache, private", e.response.header("Cache-Control"));
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT), "the receipt header");
    assertEquals(messages(1, 5) + receiptEvent(5), e.response.text());
    assertEquals(new Delivery(true, 200, 5), onlyDelivery());
  }

  @Test
  void whenTheBalanceRunsOutTheStreamPromptsHoldsAndResumesOnAPaymentFromAnotherThread()
      throws Exception {
    balance = new UnitSessions(2);
    handler = handler(Duration.ofSeconds(20));
    // The payer's next voucher, on another request, once the prompt went out.
    Future<?> voucher =
        executor.submit(
            () -> {
              assertTrue(balance.prompts.tryAcquire(10, TimeUnit.SECONDS), "no prompt sent");
              TestExchange post = TestExchange.get("/api/stream");
              post.method = "POST";
              post.query = "n=4";
              post.body(new byte[0], false); // no Content-Length, no body
              post.header("Authorization", credential(Map.of("action", "voucher", "topUp", "2")));
              handle(post, (p, b) -> {});
              assertEquals(204, post.response.status);
              return null;
            });
    TestExchange e = paid("GET");
    List<Boolean> results = new ArrayList<>();
    handle(e, events(4, results));
    voucher.get(10, TimeUnit.SECONDS);
    assertEquals(List.of(true, true, true, true), results);
    assertEquals(4, balance.charged());
    String need =
        "event: payment-need-voucher\ndata: {\"channelId\":\"0xc1\",\"requiredCumulative\":\"3\","
            + "\"acceptedCumulative\":\"2\",\"deposit\":\"100\"}\n\n";
    assertEquals(messages(1, 2) + need + messages(3, 4) + receiptEvent(4), e.response.text());
    assertEquals(new Delivery(true, 200, 4), onlyDelivery());
    assertEquals(1, sessions.acknowledged.get());
  }

  @Test
  void whenNoPaymentArrivesWithinTheHoldTheStreamEndsWithTheReceiptAndChargesNothingMore()
      throws Exception {
    balance = new UnitSessions(1);
    handler = handler(Duration.ofMillis(200));
    TestExchange e = paid("GET");
    List<Boolean> results = new ArrayList<>();
    long start = System.nanoTime();
    handle(e, events(3, results));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(List.of(true, false, false), results, "nothing is sent after the hold ran out");
    assertTrue(tookMillis >= 200 && tookMillis < 5_000, "held once, for the hold: " + tookMillis);
    assertEquals(1, balance.charged(), "only the opening charge");
    assertEquals(1, balance.prompts.availablePermits(), "asked once");
    String text = e.response.text();
    String need =
        "event: payment-need-voucher\ndata: {\"channelId\":\"0xc1\",\"requiredCumulative\":\"2\","
            + "\"acceptedCumulative\":\"1\",\"deposit\":\"100\"}\n\n";
    // While it waits, a keep-alive comment every quarter of the hold.
    assertTrue(
        text.matches(
            Pattern.quote(messages(1, 1) + need) + "(:\n\n){3,4}" + Pattern.quote(receiptEvent(1))),
        text);
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void aClientThatGoesAwayDuringTheHoldIsNoticedAtTheNextKeepAlive() throws Exception {
    balance = new UnitSessions(1);
    handler = handler(Duration.ofSeconds(8));
    TestExchange e = paid("GET");
    e.response.writesBeforeDisconnect = 2; // the first event and the prompt
    List<Boolean> results = new ArrayList<>();
    long start = System.nanoTime();
    assertThrows(IOException.class, () -> handle(e, events(3, results)));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        tookMillis >= 2_000 && tookMillis < 6_000,
        "stopped at the first keep-alive: " + tookMillis);
    assertEquals(List.of(true), results);
    assertEquals(1, balance.charged());
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void aClientThatGoesAwayStopsTheStreamAndOnlyWrittenEventsAreSettled() throws Exception {
    TestExchange e = paid("GET");
    e.response.writesBeforeDisconnect = 2;
    List<Boolean> results = new ArrayList<>();
    IOException gone = assertThrows(IOException.class, () -> handle(e, events(5, results)));
    assertEquals("connection reset by peer", gone.getMessage());
    assertEquals(List.of(true, true), results);
    assertEquals(messages(1, 2), e.response.text(), "no receipt event after the client left");
    // The third event's unit was charged before its write failed: the delivery says 2, and the
    // settlement bills 2.
    assertEquals(new Delivery(true, 200, 2), onlyDelivery());
    assertEquals(2, balance.charged(), "nothing charged for the event that was not written");
  }

  @Test
  void aPaymentBackendFailureMidStreamEndsTheStreamWithTheReceipt() throws Exception {
    TestExchange e = paid("GET");
    List<Boolean> results = new ArrayList<>();
    handle(
        e,
        (paid, body) -> {
          PaidEventStream stream =
              Objects.requireNonNull(Objects.requireNonNull(paid).eventStream());
          results.add(stream.send("tick", "one"));
          balance.failing = true;
          results.add(stream.send("tick", "two"));
          assertEquals(1, stream.sent());
        });
    assertEquals(List.of(true, false), results);
    assertEquals(
        "event: tick\ndata: one\n\n" + receiptEvent(1),
        e.response.text(),
        "the failure's text is not sent");
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void closeEndsTheStreamOnceAndLaterSendsAreRefused() throws Exception {
    TestExchange e = paid("GET");
    handle(
        e,
        (paid, body) -> {
          PaidEventStream stream =
              Objects.requireNonNull(Objects.requireNonNull(paid).eventStream());
          assertTrue(stream.send(null, "a"));
          stream.close();
          stream.close();
          assertFalse(stream.send(null, "b"));
          assertThrows(IllegalArgumentException.class, () -> stream.send("two\nlines", "c"));
        });
    assertEquals("data: a\n\n" + receiptEvent(1), e.response.text());
    assertEquals(1, balance.charged());
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void anApplicationThatAnswersOnceIsOnePaidResponseSettledWithItsUnits() throws Exception {
    TestExchange e = paid("GET");
    e.units = 3L;
    handle(
        e,
        (paid, body) -> {
          Objects.requireNonNull(Objects.requireNonNull(paid).eventStream());
          e.response.setContentType("application/json");
          paid.response().beforeCommit();
          e.response.body().write("{}".getBytes(StandardCharsets.UTF_8));
        });
    assertEquals("{}", e.response.text());
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals(1, balance.charged(), "the stream charged nothing");
    assertEquals(new Delivery(true, 200, 3), onlyDelivery());
  }

  @Test
  void anEventStreamNeedsASuccessfulStatus() throws Exception {
    TestExchange e = paid("GET");
    handle(
        e,
        (paid, body) -> {
          e.response.setStatus(503);
          PaidEventStream stream =
              Objects.requireNonNull(Objects.requireNonNull(paid).eventStream());
          assertThrows(IllegalStateException.class, () -> stream.send(null, "x"));
        });
    assertEquals("", e.response.text());
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals(new Delivery(false, 503, 0), onlyDelivery());
    assertEquals(0, balance.charged(), "the opening unit was given back");
  }

  @Test
  void anAsyncStreamIsSettledWithItsEventsWhenTheResponseCompletes() throws Exception {
    TestExchange e = paid("GET");
    e.async = true;
    PaidExchange[] held = new PaidExchange[1];
    handle(
        e,
        (paid, body) -> {
          held[0] = paid;
          assertTrue(
              Objects.requireNonNull(Objects.requireNonNull(paid).eventStream()).send(null, "1"));
          assertTrue(paid.eventStream().send(null, "2"));
        });
    assertEquals(0, sessions.deliveries.size(), "not settled while the response continues");
    held[0].completed();
    held[0].completed();
    assertEquals(new Delivery(true, 200, 2), onlyDelivery());
    assertEquals("data: 1\n\ndata: 2\n\n", e.response.text(), "the response was already complete");
  }

  @Test
  void anAsyncStreamCompletedThroughTheAdapterEndsWithTheFinalEventFirst() throws Exception {
    TestExchange e = paid("GET");
    e.async = true;
    PaidExchange[] held = new PaidExchange[1];
    handle(
        e,
        (paid, body) -> {
          held[0] = paid;
          assertTrue(
              Objects.requireNonNull(Objects.requireNonNull(paid).eventStream()).send(null, "1"));
        });
    held[0].completing(); // the application completes the response through the adapter
    assertEquals("data: 1\n\n" + receiptEvent(1), e.response.text());
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
    held[0].completed();
    assertEquals(1, sessions.deliveries.size(), "settled once");
  }

  @Test
  void aBodilessPostWithAQueryStringIsAcknowledgedWithoutRunningTheApplication() throws Exception {
    TestExchange e = paid("POST");
    e.query = "n=50";
    e.body(new byte[0], true);
    handle(e, (p, b) -> {});
    assertEquals(0, runs);
    assertEquals(204, e.response.status);
    assertEquals("0xc1", Receipt.parse(e.response.header(MppHeaders.PAYMENT_RECEIPT)).reference());
    assertEquals("no-store", e.response.header("Cache-Control"));
    assertNull(e.response.header("Content-Type"));
    assertNull(e.response.header("Content-Length"));
    assertEquals("", e.response.text());
    assertEquals(1, sessions.acknowledged.get());
    assertEquals(0, balance.charged());
    assertTrue(sessions.deliveries.isEmpty());
  }

  @Test
  void aHeadWithACredentialIsAcknowledgedWithoutRunningTheApplication() throws Exception {
    TestExchange e = paid("HEAD");
    handle(e, (p, b) -> {});
    assertEquals(0, runs);
    assertEquals(204, e.response.status);
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals("no-store", e.response.header("Cache-Control"));
    assertEquals("", e.response.text());
    assertEquals(0, balance.charged());
  }

  @Test
  void aHeadWithoutACredentialGetsTheChallengeWithoutABody() throws Exception {
    TestExchange e = TestExchange.get("/api/stream");
    e.method = "HEAD";
    handle(e, (p, b) -> {});
    assertEquals(0, runs);
    assertEquals(402, e.response.status);
    assertEquals(1, e.response.all(MppHeaders.WWW_AUTHENTICATE).size());
    assertTrue(e.response.header("Content-Type").startsWith(MppHeaders.PROBLEM_JSON));
    assertEquals("", e.response.text());
  }

  @Test
  void aPostWithABodyRunsTheApplicationWithItsBodyAndTheChallengeIsNotBoundToIt() throws Exception {
    byte[] json = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
    TestExchange unpaid = TestExchange.get("/api/stream");
    unpaid.method = "POST";
    unpaid.body(json, true);
    handle(unpaid, (p, b) -> {});
    assertEquals(402, unpaid.response.status);
    Challenge challenge = Challenge.parse(unpaid.response.all(MppHeaders.WWW_AUTHENTICATE).get(0));
    assertNull(challenge.digest(), "a session's challenge pays for many bodies");
    String authorization =
        Credential.of(challenge, Map.of("action", "voucher"), PAYER).toHeaderValue();

    TestExchange e = TestExchange.get("/api/stream");
    e.method = "POST";
    e.body(json, true);
    e.header("Authorization", authorization);
    byte[][] seen = new byte[1][];
    handle(e, (paid, body) -> seen[0] = body);
    assertEquals(1, runs);
    assertEquals(200, e.response.status);
    assertEquals("{\"q\":1}", new String(seen[0], StandardCharsets.UTF_8));
    assertEquals(1, balance.charged());

    // The same challenge, re-presented by a bodiless management POST, is acknowledged.
    TestExchange voucher = TestExchange.get("/api/stream");
    voucher.method = "POST";
    voucher.body(new byte[0], true);
    voucher.header("Authorization", authorization);
    handle(voucher, (p, b) -> {});
    assertEquals(204, voucher.response.status);
    assertEquals(1, runs);
  }

  @Test
  void otherMethodsOnASessionRouteAreNotGuarded() throws Exception {
    TestExchange e = TestExchange.get("/api/stream");
    e.method = "DELETE";
    handle(e, (p, b) -> {});
    assertEquals(1, runs, "not a paid request: the application decides");
    assertTrue(e.response.headers.isEmpty());
  }

  @Test
  void theStreamHoldIsBounded() {
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("session-test-secret-0123456789abcdef"))
            .method(new SessionMethod())
            .build();
    RouteTable none = new RouteTable(List.of());
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(11))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new PaymentHandler(gate, none, 16, true, bad));
      assertTrue(e.getMessage().startsWith("streamHold must be positive"), e.getMessage());
    }
    assertEquals(
        PaymentHandler.DEFAULT_STREAM_HOLD, new PaymentHandler(gate, none, 16, true).streamHold());
  }
}
