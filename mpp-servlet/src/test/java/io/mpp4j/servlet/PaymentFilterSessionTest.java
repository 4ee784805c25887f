package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.http.PaidEventStream;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.spi.Delivery;
import io.mpp4j.test.MockPaymentMethod;
import io.mpp4j.testing.UnitSessions;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions through the filter over a real Jetty on loopback: the application streams events through
 * the request's {@link PaidEventStream} (one charge per event, flushed each), the payer is prompted
 * when its balance runs out and the stream resumes when a voucher arrives as a bodiless POST on
 * another connection, the hold times out, a client goes away mid-stream; management POSTs and HEADs
 * are answered 204 without running the application; a POST with a body runs it.
 */
class PaymentFilterSessionTest {
  static final String PAYER = "did:pkh:eip155:42431:0x1111111111111111111111111111111111111111";

  /** Streams {@code n} events (query {@code n}, default 3) or echoes a POST body; counts runs. */
  static final class StreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final AtomicInteger runs = new AtomicInteger();
    final List<Boolean> results = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile long pauseMillis;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      runs.incrementAndGet();
      Optional<PaidEventStream> events = PaidRequests.eventStream(req);
      if (events.isEmpty()) {
        resp.setContentType("text/plain");
        resp.getWriter().write("no event stream");
        return;
      }
      int n = req.getParameter("n") == null ? 3 : Integer.parseInt(req.getParameter("n"));
      if (req.getRequestURI().endsWith("/async")) {
        AsyncContext async = req.startAsync();
        async.start(() -> streamThenComplete(events.get(), n, async));
        return;
      }
      try (PaidEventStream stream = events.get()) {
        stream(stream, n);
      } catch (IOException | RuntimeException e) {
        failure.set(e);
        throw e;
      } finally {
        done.countDown();
      }
    }

    private void stream(PaidEventStream stream, int n) throws IOException {
      for (int k = 1; k <= n; k++) {
        boolean sent = stream.send(null, "{\"seq\":" + k + "}");
        results.add(sent);
        if (!sent) {
          return;
        }
        if (pauseMillis > 0) {
          try {
            Thread.sleep(pauseMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private void streamThenComplete(PaidEventStream stream, int n, AsyncContext async) {
      try {
        stream(stream, n);
      } catch (IOException | RuntimeException e) {
        failure.set(e);
      } finally {
        async.complete(); // the filter's context writes the final receipt event first
        done.countDown();
      }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      runs.incrementAndGet();
      byte[] body = req.getInputStream().readAllBytes();
      resp.setContentType("text/plain");
      resp.getOutputStream().write("posted:".getBytes(StandardCharsets.UTF_8));
      resp.getOutputStream().write(body);
    }
  }

  UnitSessions sessions;
  StreamServlet servlet;
  JettyHarness jetty;

  void start(long balance, Duration hold) throws Exception {
    sessions = new UnitSessions(balance);
    servlet = new StreamServlet();
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("session-filter-secret-0123456789abcdef"))
            .method(MockPaymentMethod.create())
            .intentHandler(Intent.SESSION, sessions)
            .build();
    PaymentRequirement perEvent =
        PaymentRequirement.builder()
            .intent(Intent.SESSION)
            .amount("0.01")
            .session(SessionTerms.of("event"))
            .build();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(gate)
            .route(new PaidRoute("stream", Set.of("GET"), "/api/stream", perEvent, null))
            .route(new PaidRoute("async", Set.of("GET"), "/api/async", perEvent, null))
            .streamHold(hold)
            .build();
    jetty =
        JettyHarness.start(
            "/",
            new FilterHolder(new PaymentFilter(config)),
            EnumSet.allOf(DispatcherType.class),
            Map.of("/*", servlet));
  }

  @AfterEach
  void stop() {
    if (jetty != null) {
      jetty.close();
    }
  }

  /** A credential for the route's challenge, with a payload the stand-in reads. */
  String credential(String path, Map<String, ?> payload) throws Exception {
    JettyHarness.Response unpaid = jetty.get(path);
    assertEquals(402, unpaid.status());
    Challenge challenge = Challenge.parse(unpaid.all("WWW-Authenticate").get(0));
    return Credential.of(challenge, payload, PAYER).toHeaderValue();
  }

  static String messages(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k <= to; k++) {
      sb.append("data: {\"seq\":").append(k).append("}\n\n");
    }
    return sb.toString();
  }

  static String receiptEvent(long spent) {
    return "event: payment-receipt\ndata: {\"status\":\"success\",\"method\":\"mock\","
        + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"reference\":\"0xc1\",\"intent\":\"session\","
        + "\"spent\":\""
        + spent
        + "\"}\n\n";
  }

  Delivery onlyDelivery() throws InterruptedException {
    for (int i = 0; i < 200 && sessions.deliveries.isEmpty(); i++) {
      Thread.sleep(25);
    }
    Thread.sleep(50);
    assertEquals(1, sessions.deliveries.size(), "settled exactly once");
    return sessions.deliveries.get(0);
  }

  @Test
  void eachEventIsChargedOnceAndTheResponseCarriesTheReceiptHeaderAndTheFinalEvent()
      throws Exception {
    start(100, Duration.ofSeconds(10));
    String authorization = credential("/api/stream", Map.of("action", "voucher"));
    JettyHarness.Response r = jetty.get("/api/stream?n=5", "Authorization", authorization);
    assertEquals(200, r.status());
    assertTrue(r.header("Content-Type").startsWith("text/event-stream"), r.header("Content-Type"));
    assertEquals("no-cache, private", r.header("Cache-Control"));
    Receipt header = Receipt.parse(r.header("Payment-Receipt"));
    assertEquals("0xc1", header.reference());
    assertEquals(messages(1, 5) + receiptEvent(5), r.text());
    assertEquals(5, sessions.charged(), "five events, five units (the first paid on entry)");
    assertEquals(new Delivery(true, 200, 5), onlyDelivery());
    assertTrue(servlet.done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(true, true, true, true, true), servlet.results);
  }

  @Test
  void theStreamHoldsAtThePromptAndResumesWhenAVoucherArrivesAsABodilessPost() throws Exception {
    start(2, Duration.ofSeconds(20));
    String opening = credential("/api/stream", Map.of("action", "voucher"));
    String voucher = credential("/api/stream", Map.of("action", "voucher", "topUp", "2"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jetty.port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/stream?n=4 HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: "
                  + opening
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      String beforeVoucher =
          ServerSentEventsTest.readUntil(in, seen, "event: payment-need-voucher\n");
      assertTrue(beforeVoucher.contains("\r\n\r\n" + messages(1, 2)), beforeVoucher);
      assertFalse(beforeVoucher.contains("\"seq\":3"), "held at the prompt");

      // The payer's voucher: a bodiless POST to the same URL, query string included.
      JettyHarness.Response ack =
          jetty.send("POST", "/api/stream?n=4", new byte[0], "Authorization", voucher);
      assertEquals(204, ack.status());
      assertEquals(0, ack.body().length);
      assertNotNull(Receipt.parse(ack.header("Payment-Receipt")));

      in.transferTo(seen);
      String all = seen.toString(StandardCharsets.UTF_8);
      String head = all.substring(0, all.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("http/1.1 200"), head);
      assertTrue(head.contains("payment-receipt:"), head);
      String need =
          "event: payment-need-voucher\ndata: {\"channelId\":\"0xc1\",\"requiredCumulative\":\"3\",\"acceptedCumulative\":\"2\",\"deposit\":\"100\"}\n\n";
      assertTrue(
          all.endsWith("\r\n\r\n" + messages(1, 2) + need + messages(3, 4) + receiptEvent(4)), all);
    }
    assertEquals(1, servlet.runs.get(), "the voucher did not run the application");
    assertTrue(servlet.done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(true, true, true, true), servlet.results);
    assertEquals(4, sessions.charged());
    assertEquals(1, sessions.acknowledged.get());
    assertEquals(new Delivery(true, 200, 4), onlyDelivery());
  }

  @Test
  void whenTheHoldRunsOutTheStreamEndsWithTheReceiptAndNothingMoreIsCharged() throws Exception {
    start(1, Duration.ofMillis(300));
    String authorization = credential("/api/stream", Map.of("action", "voucher"));
    long startNanos = System.nanoTime();
    JettyHarness.Response r = jetty.get("/api/stream?n=3", "Authorization", authorization);
    long tookMillis = (System.nanoTime() - startNanos) / 1_000_000;
    assertEquals(200, r.status());
    String text = r.text();
    String need =
        "event: payment-need-voucher\ndata: {\"channelId\":\"0xc1\",\"requiredCumulative\":\"2\",\"acceptedCumulative\":\"1\",\"deposit\":\"100\"}\n\n";
    // While it waits, a keep-alive comment every quarter of the hold.
    assertTrue(
        text.matches(
            Pattern.quote(messages(1, 1) + need) + "(:\n\n){3,4}" + Pattern.quote(receiptEvent(1))),
        text);
    assertFalse(text.contains("\"seq\":2"), text);
    assertTrue(tookMillis >= 300 && tookMillis < 10_000, "held for the hold: " + tookMillis);
    assertTrue(servlet.done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(true, false), servlet.results);
    assertEquals(1, sessions.charged());
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void aClientThatGoesAwayMidStreamStopsItAndOnlyWrittenEventsAreBilled() throws Exception {
    start(10_000, Duration.ofSeconds(10));
    servlet.pauseMillis = 5;
    String authorization = credential("/api/stream", Map.of("action", "voucher"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jetty.port)) {
      socket.setSoTimeout(15_000);
      socket
          .getOutputStream()
          .write(
              ("GET /api/stream?n=5000 HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: "
                      + authorization
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      ServerSentEventsTest.readUntil(
          socket.getInputStream(), new ByteArrayOutputStream(), "data: {\"seq\":3}\n\n");
      socket.setSoLinger(true, 0); // reset, not a graceful close
    }
    assertTrue(servlet.done.await(15, TimeUnit.SECONDS), "the stream did not stop");
    assertTrue(servlet.failure.get() instanceof IOException, String.valueOf(servlet.failure.get()));
    Delivery delivery = onlyDelivery();
    assertTrue(delivery.delivered());
    long written = delivery.units();
    assertTrue(written >= 3 && written < 5000, "written: " + written);
    assertEquals(written, servlet.results.size(), "every event the application sent was written");
    assertEquals(written, sessions.charged(), "nothing billed for the event that failed");
  }

  @Test
  void anAsyncStreamEndsWithTheFinalEventWhenTheApplicationCompletes() throws Exception {
    start(100, Duration.ofSeconds(10));
    String authorization = credential("/api/async", Map.of("action", "voucher"));
    JettyHarness.Response r = jetty.get("/api/async?n=3", "Authorization", authorization);
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(messages(1, 3) + receiptEvent(3), r.text());
    assertEquals(new Delivery(true, 200, 3), onlyDelivery());
    assertEquals(3, sessions.charged());
  }

  @Test
  void aBodilessPostWithAQueryStringIsAcknowledgedWithoutRunningTheApplication() throws Exception {
    start(100, Duration.ofSeconds(10));
    String authorization = credential("/api/stream", Map.of("action", "voucher"));
    for (byte[] body : new byte[][] {null, new byte[0]}) {
      JettyHarness.Response r =
          jetty.send("POST", "/api/stream?n=50", body, "Authorization", authorization);
      assertEquals(204, r.status());
      assertNotNull(Receipt.parse(r.header("Payment-Receipt")));
      assertEquals("no-store", r.header("Cache-Control"));
      assertNull(r.header("Content-Type"));
      assertNull(r.header("Content-Length"), "a 204 has no content (RFC 9110 15.3.5)");
      assertEquals(0, r.body().length);
    }
    assertEquals(0, servlet.runs.get());
    assertEquals(2, sessions.acknowledged.get());
    assertEquals(0, sessions.charged());
  }

  @Test
  void aHeadWithACredentialIsAcknowledgedWithoutABody() throws Exception {
    start(100, Duration.ofSeconds(10));
    String authorization =
        credential("/api/stream", Map.of("action", "topUp", "topUp", "5", "type", "transaction"));
    JettyHarness.Response r =
        jetty.send("HEAD", "/api/stream", null, "Authorization", authorization);
    assertEquals(204, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals(0, r.body().length);
    assertEquals(0, servlet.runs.get());
    assertEquals(1, sessions.acknowledged.get());
  }

  @Test
  void aHeadWithoutACredentialGetsTheChallengeAndNoBody() throws Exception {
    start(100, Duration.ofSeconds(10));
    JettyHarness.Response r = jetty.send("HEAD", "/api/stream", null);
    assertEquals(402, r.status());
    assertEquals(1, r.all("WWW-Authenticate").size());
    assertTrue(r.header("Content-Type").startsWith("application/problem+json"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals(0, r.body().length);
    assertEquals(0, servlet.runs.get());
  }

  @Test
  void aPostWithABodyRunsTheApplicationAndIsCharged() throws Exception {
    start(100, Duration.ofSeconds(10));
    byte[] json = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
    JettyHarness.Response unpaid = jetty.send("POST", "/api/stream", json);
    assertEquals(402, unpaid.status(), "a session route guards POST too");
    Challenge challenge = Challenge.parse(unpaid.all("WWW-Authenticate").get(0));
    String authorization =
        Credential.of(challenge, Map.of("action", "voucher"), PAYER).toHeaderValue();
    JettyHarness.Response r =
        jetty.send("POST", "/api/stream", json, "Authorization", authorization);
    assertEquals(200, r.status());
    assertEquals("posted:{\"q\":1}", r.text());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(1, servlet.runs.get());
    assertEquals(1, sessions.charged());
    assertEquals(new Delivery(true, 200, 1), onlyDelivery());
  }

  @Test
  void theEventStreamIsOnlyOnPaidSessionRequests() throws Exception {
    start(100, Duration.ofSeconds(10));
    JettyHarness.Response r = jetty.get("/free");
    assertEquals(200, r.status());
    assertEquals("no event stream", r.text());
    assertNull(r.header("Payment-Receipt"));
  }

  @Test
  void theStreamHoldIsBounded() {
    PaymentFilterConfig.Builder b =
        PaymentFilterConfig.builder(
            JettyHarness.gate(
                "session-filter-secret-0123456789abcdef", MockPaymentMethod.create()));
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMinutes(11))) {
      assertThrows(IllegalArgumentException.class, () -> b.streamHold(bad));
    }
    assertEquals(Duration.ofSeconds(60), b.build().streamHold());
    assertEquals(Duration.ofSeconds(5), b.streamHold(Duration.ofSeconds(5)).build().streamHold());
  }
}
