package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.server.http.EventSink;
import io.mpp4j.spi.Delivery;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
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
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet implementation of mpp-core's event sink, over a real Jetty: a paid response streamed
 * as {@code text/event-stream} reaches the client event by event (the second event is only sent
 * after the client read the first), carries the receipt, and is settled once when it ends.
 */
class ServerSentEventsTest {
  /** Sends one event, waits until the client has read it, then sends a second and ends. */
  static final class StreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final CountDownLatch clientReadFirst = new CountDownLatch(1);
    volatile boolean sawClientRead;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try (EventSink sink = new ServletExchange(req, resp).response().openEventStream()) {
        sink.send("data", "1", "first");
        sawClientRead = clientReadFirst.await(10, TimeUnit.SECONDS);
        sink.send("payment-required", "2", "line one\nline two");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  MockPaymentMethod method;
  StreamServlet servlet;
  JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    method = MockPaymentMethod.create().deferSettlement(true);
    servlet = new StreamServlet();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(JettyHarness.gate("sse-test-secret-0123456789abcdef0", method))
            .route("/api/*", JettyHarness.cent())
            .build();
    jetty = JettyHarness.start(new PaymentFilter(config), servlet);
  }

  @AfterEach
  void stop() {
    jetty.close();
  }

  /** Reads until {@code marker} has arrived; returns everything read so far. */
  static String readUntil(InputStream in, ByteArrayOutputStream seen, String marker)
      throws IOException {
    byte[] buffer = new byte[4096];
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("the stream ended before " + marker + ": " + seen);
      }
      seen.write(buffer, 0, n);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eventsReachTheClientOneByOneWithTheReceiptAndThePaymentSettlesOnce() throws Exception {
    JettyHarness.Response unpaid = jetty.get("/api/stream");
    assertEquals(402, unpaid.status());
    String authorization = MockPayer.pay(unpaid.all("WWW-Authenticate"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jetty.port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/stream HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: "
                  + authorization
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      String first = readUntil(in, seen, "data: first\n\n");
      String head = first.substring(0, first.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("http/1.1 200"), head);
      assertTrue(head.contains("content-type: text/event-stream"), head);
      assertTrue(head.contains("payment-receipt:"), head);
      assertTrue(head.contains("cache-control: no-cache, private"), head);
      assertTrue(first.endsWith("event: data\nid: 1\ndata: first\n\n"), first);
      assertEquals(0, method.untakenDeliveries(), "not settled while the stream is open");

      servlet.clientReadFirst.countDown();
      in.transferTo(seen);
      String all = seen.toString(StandardCharsets.UTF_8);
      assertTrue(
          all.endsWith("event: payment-required\nid: 2\ndata: line one\ndata: line two\n\n"), all);
    }
    assertTrue(servlet.sawClientRead, "the first event arrived before the handler went on");
    Delivery delivery = method.takeDelivery(Duration.ofSeconds(10));
    assertNotNull(delivery, "the deferred settlement was never completed");
    assertEquals(new Delivery(true, 200, 1), delivery);
    Thread.sleep(50);
    assertEquals(0, method.untakenDeliveries(), "completed more than once");
  }
}
