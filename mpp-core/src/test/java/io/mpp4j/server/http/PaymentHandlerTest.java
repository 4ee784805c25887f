package io.mpp4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentEvent;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.TestMethod;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.routing.RouteTable;
import io.mpp4j.spi.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The framework-neutral request handling, with a tiny in-memory exchange and no servlet: routing
 * both ways, TLS, body caps, refusals, and the capture rule of a paid exchange (receipt only on
 * 2xx, settled exactly once from what was sent, async completion, units).
 */
class PaymentHandlerTest {
  static final String PAYER = "did:pkh:eip155:42431:0x1111111111111111111111111111111111111111";

  TestMethod method;
  List<PaymentEvent> events;
  PaymentGate gate;
  PaymentHandler handler;

  @BeforeEach
  void setUp() {
    method = new TestMethod("test");
    method.deferSettlement = true;
    events = new CopyOnWriteArrayList<>();
    gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("handler-test-secret-0123456789abcdef"))
            .method(method)
            .listener(events::add)
            .build();
    PaymentRequirement cent = PaymentRequirement.builder().amount("0.01").build();
    handler =
        new PaymentHandler(
            gate,
            new RouteTable(
                List.of(
                    PaidRoute.of("/api/*", cent),
                    new PaidRoute("upload", Set.of("POST"), "/upload", cent, null))),
            16,
            true);
  }

  /** Records how the application was run. */
  static final class App implements PaymentHandler.Application<IOException> {
    int runs;
    @Nullable PaidExchange paid;
    byte @Nullable [] body;
    PaymentHandler.Application<IOException> then = (p, b) -> {};

    @Override
    public void run(@Nullable PaidExchange paid, byte @Nullable [] body) throws IOException {
      runs++;
      this.paid = paid;
      this.body = body;
      then.run(paid, body);
    }
  }

  App handle(TestExchange exchange) throws IOException {
    App app = new App();
    handler.handle(exchange, app);
    return app;
  }

  /** The Authorization value paying the challenge a first request to the same exchange got. */
  String pay(TestExchange template) throws Exception {
    TestExchange unpaid = TestExchange.get(template.dispatchedPath);
    unpaid.method = template.method;
    if (template.body != null) {
      template.body.mark(Integer.MAX_VALUE);
      unpaid.body(template.body.readAllBytes(), true);
      template.body.reset();
    }
    handle(unpaid);
    assertEquals(402, unpaid.response.status);
    Challenge challenge = Challenge.parse(unpaid.response.all(MppHeaders.WWW_AUTHENTICATE).get(0));
    return Credential.of(challenge, Map.of("type", "hash", "hash", "0x5167e5"), PAYER)
        .toHeaderValue();
  }

  TestExchange paidGet(String path) throws Exception {
    TestExchange e = TestExchange.get(path);
    return e.header("Authorization", pay(e));
  }

  Delivery onlyCompletion() {
    assertEquals(1, method.completions.size(), "completed exactly once");
    return method.completions.get(0);
  }

  @Test
  void aRequestOnNoPaidRouteRunsTheApplicationUntouched() throws Exception {
    TestExchange e = TestExchange.get("/free");
    App app = handle(e);
    assertEquals(1, app.runs);
    assertNull(app.paid);
    assertNull(app.body);
    assertTrue(e.response.headers.isEmpty());
    assertTrue(events.isEmpty());
  }

  @Test
  void anUnpaidRequestGets402WithChallengesNoStoreAndAProblem() throws Exception {
    TestExchange e = TestExchange.get("/api/premium");
    App app = handle(e);
    assertEquals(0, app.runs);
    assertEquals(402, e.response.status);
    assertEquals(1, e.response.all(MppHeaders.WWW_AUTHENTICATE).size());
    assertEquals("no-store", e.response.header("Cache-Control"));
    assertTrue(e.response.header("Content-Type").startsWith(MppHeaders.PROBLEM_JSON));
    assertTrue(e.response.text().contains("payment-required"), e.response.text());
    assertEquals(Integer.toString(e.response.bytes.size()), e.response.header("Content-Length"));
  }

  @Test
  void headIsGuardedAsGetAndGetsNoBody() throws Exception {
    TestExchange e = TestExchange.get("/api/premium");
    e.method = "HEAD";
    handle(e);
    assertEquals(402, e.response.status);
    assertEquals(0, e.response.bytes.size());
    assertTrue(Integer.parseInt(e.response.header("Content-Length")) > 0);
  }

  @Test
  void theRawPathIsMatchedWhenTheDispatchedPathDiffers() throws Exception {
    TestExchange e = TestExchange.get("/free/x");
    e.rawPath = "/shop/api/%70remium";
    e.contextPath = "/shop";
    App app = handle(e);
    assertEquals(0, app.runs, "paid by its raw path: not served unpaid");
    assertEquals(402, e.response.status);
  }

  @Test
  void aPathThatCannotBeNormalizedIs400PathInvalid() throws Exception {
    for (String raw : List.of("/api/%zz", "/../api/premium", "/elsewhere/api/premium")) {
      TestExchange e = TestExchange.get("/free");
      e.rawPath = raw;
      e.contextPath = raw.startsWith("/elsewhere") ? "/shop" : "";
      App app = handle(e);
      assertEquals(0, app.runs, raw);
      assertEquals(400, e.response.status, raw);
      assertTrue(e.response.text().contains("path_invalid"), raw);
    }
  }

  @Test
  void plainHttpIsRefusedExceptFromLoopback() throws Exception {
    TestExchange e = TestExchange.get("/api/premium");
    e.secure = false;
    handle(e);
    assertEquals(400, e.response.status);
    assertTrue(e.response.text().contains("tls_required"));

    for (String loopback : List.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1")) {
      TestExchange local = TestExchange.get("/api/premium");
      local.secure = false;
      local.remoteAddress = loopback;
      handle(local);
      assertEquals(402, local.response.status, loopback);
    }
    TestExchange free = TestExchange.get("/free");
    free.secure = false;
    assertEquals(1, handle(free).runs, "free routes are not affected");
  }

  @Test
  void aDispatchWithinAPaidRequestIsNotChargedAgain() throws Exception {
    TestExchange e = TestExchange.get("/api/premium");
    e.nested = true;
    e.paid = true;
    App app = handle(e);
    assertEquals(1, app.runs);
    assertNull(app.paid);
  }

  @Test
  void aBodyLargerThanTheCapIs413DeclaredOrNot() throws Exception {
    for (boolean declared : List.of(true, false)) {
      TestExchange e = TestExchange.get("/upload");
      e.method = "POST";
      e.body(new byte[17], declared);
      App app = handle(e);
      assertEquals(0, app.runs);
      assertEquals(413, e.response.status);
      assertTrue(e.response.text().contains("about:blank"));
      assertEquals("no-store", e.response.header("Cache-Control"));
    }
  }

  @Test
  void anUnreadableBodyIs400() throws Exception {
    TestExchange e = TestExchange.get("/upload");
    e.method = "POST";
    e.body =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("connection reset");
          }
        };
    handle(e);
    assertEquals(400, e.response.status);
    assertTrue(e.response.text().contains("body_unreadable"));
  }

  @Test
  void theBodyIsBoundAndHandedToTheApplication() throws Exception {
    byte[] body = "sixteen bytes!!!".getBytes(StandardCharsets.UTF_8);
    TestExchange e = TestExchange.get("/upload");
    e.method = "POST";
    e.body(body, false);
    e.header("Authorization", pay(e));
    App app = handle(e);
    assertEquals(1, app.runs);
    assertNotNull(app.paid);
    assertEquals(
        new String(body, StandardCharsets.UTF_8), new String(app.body, StandardCharsets.UTF_8));

    TestExchange other = TestExchange.get("/upload");
    other.method = "POST";
    other.body("another body....".getBytes(StandardCharsets.UTF_8), true);
    other.header("Authorization", e.headers("Authorization").get(0));
    assertEquals(0, handle(other).runs, "the credential is bound to the first body");
  }

  @Test
  void aSuccessGetsTheReceiptPrivateCachingAndIsCapturedOnce() throws Exception {
    TestExchange e = paidGet("/api/premium");
    e.response.setHeader("Cache-Control", "public, max-age=60");
    App app = handle(e);
    assertEquals(1, app.runs);
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals("max-age=60, private", e.response.header("Cache-Control"));
    assertEquals(new Delivery(true, 200, 1), onlyCompletion());
    assertEquals(PaymentEvent.Type.SETTLED, events.get(events.size() - 1).type());
    assertTrue(e.paid, "the request is marked paid for nested dispatches");
  }

  @Test
  void anErrorStatusGetsNoReceiptAndIsCancelled() throws Exception {
    TestExchange e = paidGet("/api/premium");
    App app = new App();
    app.then =
        (paid, body) -> {
          paid.response().beforeCommit(); // first write as 200: the receipt goes on
          assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
          e.response.setStatus(503); // then the application changes its mind before committing
          paid.response().statusChanged();
        };
    handler.handle(e, app);
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals(new Delivery(false, 503, 0), onlyCompletion());
    assertEquals(PaymentEvent.Type.CANCELLED, events.get(events.size() - 1).type());
  }

  @Test
  void anErrorPageOrRedirectIsNotDeliveredWhateverTheStatus() throws Exception {
    TestExchange e = paidGet("/api/premium");
    App app = new App();
    app.then = (paid, body) -> paid.response().refused();
    handler.handle(e, app);
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertFalse(onlyCompletion().delivered());
  }

  @Test
  void anApplicationThatFailsBeforeCommittingIsCancelledWith500() throws Exception {
    TestExchange e = paidGet("/api/premium");
    App app = new App();
    app.then =
        (paid, body) -> {
          throw new IOException("backend down");
        };
    assertThrows(IOException.class, () -> handler.handle(e, app));
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals(new Delivery(false, 500, 0), onlyCompletion());
  }

  @Test
  void anApplicationThatFailsAfterCommittingASuccessIsCaptured() throws Exception {
    TestExchange e = paidGet("/api/premium");
    App app = new App();
    app.then =
        (paid, body) -> {
          paid.response().beforeCommit();
          e.response.commit(); // the 200 with its receipt is on the wire
          throw new IOException("client went away");
        };
    assertThrows(IOException.class, () -> handler.handle(e, app));
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertEquals(new Delivery(true, 200, 1), onlyCompletion());
  }

  @Test
  void aSuccessCommittedWithoutTheRuleBeingToldIsNotDelivered() throws Exception {
    // An adapter that let a 2xx out around the rule: no receipt was sent, so nothing is captured.
    TestExchange e = paidGet("/api/premium");
    App app = new App();
    app.then = (paid, body) -> e.response.commit();
    handler.handle(e, app);
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    assertFalse(onlyCompletion().delivered());
  }

  @Test
  void theReportedUnitsReachTheSettlementAndBadOnesAreIgnored() throws Exception {
    TestExchange e = paidGet("/api/premium");
    e.units = 7L;
    handle(e);
    assertEquals(new Delivery(true, 200, 7), onlyCompletion());

    method.completions.clear();
    TestExchange bad = paidGet("/api/premium");
    bad.units = "12";
    handle(bad);
    assertEquals(new Delivery(true, 200, 1), onlyCompletion());

    method.completions.clear();
    TestExchange negative = paidGet("/api/premium");
    negative.units = -3;
    handle(negative);
    assertEquals(new Delivery(true, 200, 1), onlyCompletion());
  }

  @Test
  void anAsynchronousResponseSettlesOnCompletionOnce() throws Exception {
    TestExchange e = paidGet("/api/premium");
    e.async = true;
    App app = handle(e);
    assertTrue(method.completions.isEmpty(), "not settled while the response continues");
    PaidExchange paid = app.paid;
    e.units = 3;
    paid.completed();
    paid.completed();
    assertEquals(new Delivery(true, 200, 3), onlyCompletion());
    assertSame(paid, app.paid);
  }

  @Test
  void anAbandonedAsyncCycleStartsTheRuleOver() throws Exception {
    TestExchange e = paidGet("/api/premium");
    e.async = true;
    PaidExchange paid = handle(e).paid;
    paid.response().beforeCommit();
    assertNotNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    paid.abandoned(); // timed out: the container answers next
    assertNull(e.response.header(MppHeaders.PAYMENT_RECEIPT));
    e.response.setStatus(504);
    paid.completed();
    assertEquals(new Delivery(false, 504, 0), onlyCompletion());
  }

  @Test
  void concurrentCompletionsSettleExactlyOnce() throws Exception {
    TestExchange e = paidGet("/api/premium");
    e.async = true;
    PaidExchange paid = handle(e).paid;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger done = new AtomicInteger();
      AtomicReference<Throwable> error = new AtomicReference<>();
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    start.await();
                    paid.completed();
                    done.incrementAndGet();
                  } catch (Throwable t) {
                    error.set(t);
                  }
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertNull(error.get());
      assertEquals(32, done.get());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(new Delivery(true, 200, 1), onlyCompletion());
    assertEquals(1, events.stream().filter(ev -> ev.type() == PaymentEvent.Type.SETTLED).count());
  }

  @Test
  void theApplicationCannotSetItsOwnReceipt() {
    assertTrue(PaidResponse.isReceiptHeader("payment-receipt"));
    assertTrue(PaidResponse.isReceiptHeader(MppHeaders.PAYMENT_RECEIPT));
    assertFalse(PaidResponse.isReceiptHeader("Payment-Receipts"));
  }
}
