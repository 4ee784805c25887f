package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.spi.Delivery;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 points 3 to 5 and the paid redirect: a method with a deferred settlement (as Stripe's
 * capture after success) is captured exactly when a 2xx with the receipt was sent, and cancelled
 * otherwise, whatever the application or the client does after that; receipts only on 2xx, also for
 * async servlets. Over real sockets.
 */
class PaymentFilterSettlementTest {
  static final int BIG = 64 * 1024 * 1024;

  /** The paid application: each path misbehaves in its own way. */
  static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final AtomicInteger bigWriteFailures = new AtomicInteger();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String path = TestApp.path(req);
      switch (path) {
        case "/api/big" -> {
          resp.setContentType("application/octet-stream");
          byte[] chunk = new byte[64 * 1024];
          OutputStream out = resp.getOutputStream();
          try {
            for (int written = 0; written < BIG; written += chunk.length) {
              out.write(chunk);
            }
          } catch (IOException e) {
            bigWriteFailures.incrementAndGet();
            throw e; // as Jetty's EofException when the client went away
          }
        }
        case "/api/flush-then-throw" -> {
          resp.setContentType("text/plain");
          resp.getWriter().write("delivered");
          resp.flushBuffer();
          throw new IllegalStateException("failed after the response was sent");
        }
        case "/api/flush-then-send-error" -> {
          resp.getWriter().write("delivered");
          resp.flushBuffer();
          resp.sendError(500); // too late: IllegalStateException, the 200 is out
        }
        case "/api/write-then-error" -> {
          resp.getWriter().write("partial");
          resp.sendError(500);
        }
        case "/api/error-then-status-ok" -> {
          resp.getWriter().write("partial");
          resp.sendError(500);
          resp.setStatus(200); // ignored by the container after sendError
        }
        case "/api/write-then-throw" -> {
          resp.getWriter().write("partial");
          throw new IllegalStateException("failed before anything was sent");
        }
        case "/api/error-then-ok" -> {
          resp.setStatus(500);
          resp.getWriter().write("x");
          resp.setStatus(200);
          resp.getWriter().write("ok");
        }
        case "/api/reset" -> {
          resp.getWriter().write("draft");
          resp.reset();
          resp.getWriter().write("final");
        }
        case "/api/redirect" -> resp.sendRedirect("/content");
        case "/api/async-503-context", "/api/async-503-wrapper" -> {
          AsyncContext ac = path.endsWith("context") ? req.startAsync() : req.startAsync(req, resp);
          ac.start(
              () -> {
                try {
                  slowBackend(); // answers after the filter returned from the chain
                  HttpServletResponse r = (HttpServletResponse) ac.getResponse();
                  r.setStatus(503);
                  r.getWriter().write("unavailable");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                } finally {
                  ac.complete();
                }
              });
        }
        case "/api/async-ok" -> {
          AsyncContext ac = req.startAsync();
          ac.start(
              () -> {
                try {
                  slowBackend();
                  ac.getResponse().getWriter().write("async content");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                } finally {
                  ac.complete();
                }
              });
        }
        case "/api/async-empty" -> {
          AsyncContext ac = req.startAsync();
          ac.start(ac::complete);
        }
        case "/api/units" -> {
          req.setAttribute(PaymentFilter.UNITS_ATTRIBUTE, 7L);
          resp.getWriter().write("seven units");
        }
        case "/api/units-int-error" -> {
          req.setAttribute(PaymentFilter.UNITS_ATTRIBUTE, 3);
          resp.sendError(503);
        }
        case "/api/units-negative" -> {
          req.setAttribute(PaymentFilter.UNITS_ATTRIBUTE, -2L);
          resp.getWriter().write("negative");
        }
        case "/api/units-text" -> {
          req.setAttribute(PaymentFilter.UNITS_ATTRIBUTE, "12");
          resp.getWriter().write("text");
        }
        case "/api/async-units" -> {
          AsyncContext ac = req.startAsync();
          ac.start(
              () -> {
                try {
                  slowBackend();
                  ac.getRequest().setAttribute(PaymentFilter.UNITS_ATTRIBUTE, 42L);
                  ac.getResponse().getWriter().write("async units");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                } finally {
                  ac.complete();
                }
              });
        }
        case "/api/async-timeout" -> {
          AsyncContext ac = req.startAsync();
          ac.setTimeout(200);
          resp.getWriter().write("never finished");
        }
        default -> resp.getWriter().write("free " + path);
      }
    }
  }

  /** An async handler's backend: answers 200 ms later, long after the filter chain returned. */
  static void slowBackend() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  MockPaymentMethod method;
  App app;
  JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    method = MockPaymentMethod.create().deferSettlement(true);
    app = new App();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(
                JettyHarness.gate("settle-test-secret-0123456789abcdef", method))
            .route("/api/*", JettyHarness.cent())
            .build();
    jetty = JettyHarness.start(new PaymentFilter(config), app);
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  String pay(String path) throws Exception {
    JettyHarness.Response unpaid = jetty.get(path);
    assertEquals(402, unpaid.status());
    return MockPayer.pay(unpaid.all("WWW-Authenticate"));
  }

  /** The one completion of the deferred settlement (waits for async ones). */
  boolean completion() throws Exception {
    return delivery().delivered();
  }

  /** What the one completion of the deferred settlement received (waits for async ones). */
  Delivery delivery() throws Exception {
    Delivery delivery = method.takeDelivery(Duration.ofSeconds(10));
    assertNotNull(delivery, "the deferred settlement was never completed");
    Thread.sleep(50);
    assertEquals(0, method.untakenDeliveries(), "completed more than once");
    return delivery;
  }

  @Test
  void clientThatReadsPartOfALargeResponseAndClosesIsCharged() throws Exception {
    String authorization = pay("/api/big");
    String head;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jetty.port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                  + authorization
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      int total = 0;
      while (total < 4 * 1024 * 1024) {
        int n = in.read(buffer);
        assertTrue(n > 0, "the response ended early");
        if (total == 0) {
          head = new String(buffer, 0, Math.min(n, 2048), StandardCharsets.ISO_8859_1);
          assertTrue(head.startsWith("HTTP/1.1 200"), head);
          assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("payment-receipt:"), head);
        }
        total += n;
      }
      socket.setSoLinger(true, 0); // reset: the server's next writes fail
    }
    assertTrue(completion(), "a 200 with its receipt went out: capture, not cancel");
    assertEquals(1, app.bigWriteFailures.get(), "the application saw the client go away");
  }

  @Test
  void applicationThatThrowsAfterCommittingASuccessIsCharged() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/flush-then-throw", "Authorization", pay("/api/flush-then-throw"));
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertTrue(r.text().startsWith("delivered"));
    assertTrue(completion(), "the payer got a 200 with a receipt: capture");
  }

  @Test
  void plainSuccessIsCapturedWithReceipt() throws Exception {
    JettyHarness.Response r = jetty.get("/api/plain", "Authorization", pay("/api/plain"));
    assertEquals(200, r.status());
    assertEquals("free /api/plain", r.text());
    assertNotNull(r.header("Payment-Receipt"));
    assertTrue(completion());
  }

  @Test
  void sendErrorAfterCommittingASuccessCannotTakeTheReceiptBackSoItIsCharged() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/flush-then-send-error", "Authorization", pay("/api/flush-then-send-error"));
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertTrue(r.text().startsWith("delivered"));
    assertTrue(completion(), "a receipt that went out is never for a cancelled payment");
  }

  @Test
  void sendErrorAfterAWriteRemovesTheReceiptAndCancels() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/write-then-error", "Authorization", pay("/api/write-then-error"));
    assertEquals(500, r.status());
    assertNull(r.header("Payment-Receipt"), "never a receipt on an error");
    assertEquals(false, completion());
  }

  @Test
  void statusChangesAfterSendErrorDoNotBringTheReceiptBack() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/error-then-status-ok", "Authorization", pay("/api/error-then-status-ok"));
    assertEquals(500, r.status());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(false, completion());
  }

  @Test
  void exceptionBeforeCommitRemovesTheReceiptAndCancels() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/write-then-throw", "Authorization", pay("/api/write-then-throw"));
    assertEquals(500, r.status());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(false, completion());
  }

  @Test
  void statusBackToSuccessBeforeCommitGetsTheReceiptAndCaptures() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/error-then-ok", "Authorization", pay("/api/error-then-ok"));
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals("private", r.header("Cache-Control"));
    assertTrue(completion());
  }

  @Test
  void resetResponseGetsTheReceiptAgain() throws Exception {
    JettyHarness.Response r = jetty.get("/api/reset", "Authorization", pay("/api/reset"));
    assertEquals(200, r.status());
    assertEquals("final", r.text());
    assertNotNull(r.header("Payment-Receipt"), "reset() cleared the headers; the receipt is back");
    assertTrue(completion());
  }

  @Test
  void paidRedirectHasNoReceiptAndIsCancelled() throws Exception {
    JettyHarness.Response r = jetty.get("/api/redirect", "Authorization", pay("/api/redirect"));
    assertEquals(302, r.status());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(false, completion(), "a redirect is not the content: cancel");
  }

  @Test
  void asyncFailureThroughTheAsyncContextResponseIsCancelledWithoutReceipt() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/async-503-context", "Authorization", pay("/api/async-503-context"));
    assertEquals(503, r.status());
    assertEquals("unavailable", r.text());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(
        false, completion(), "settled with the final status, not when the filter returned");
  }

  @Test
  void asyncFailureThroughTheHandlersResponseIsCancelledWithoutReceipt() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/async-503-wrapper", "Authorization", pay("/api/async-503-wrapper"));
    assertEquals(503, r.status());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(false, completion());
  }

  @Test
  void asyncSuccessIsCapturedWithReceipt() throws Exception {
    JettyHarness.Response r = jetty.get("/api/async-ok", "Authorization", pay("/api/async-ok"));
    assertEquals(200, r.status());
    assertEquals("async content", r.text());
    assertNotNull(r.header("Payment-Receipt"));
    assertTrue(completion());
    JettyHarness.Response empty =
        jetty.get("/api/async-empty", "Authorization", pay("/api/async-empty"));
    assertEquals(200, empty.status());
    assertNotNull(empty.header("Payment-Receipt"));
    assertTrue(completion());
  }

  @Test
  void asyncTimeoutIsCancelledWithoutReceipt() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/async-timeout", "Authorization", pay("/api/async-timeout"));
    assertEquals(500, r.status());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(false, completion());
  }

  // Issue 12 point 3: the deferred settlement learns what was delivered.

  @Test
  void successCompletesWithTheStatusAndOneUnit() throws Exception {
    JettyHarness.Response r = jetty.get("/api/plain", "Authorization", pay("/api/plain"));
    assertEquals(200, r.status());
    assertEquals(new Delivery(true, 200, 1), delivery());
  }

  @Test
  void cancelledErrorCompletesWithTheErrorStatusAndNoUnits() throws Exception {
    JettyHarness.Response r =
        jetty.get("/api/write-then-error", "Authorization", pay("/api/write-then-error"));
    assertEquals(500, r.status());
    assertEquals(new Delivery(false, 500, 0), delivery());
    JettyHarness.Response thrown =
        jetty.get("/api/write-then-throw", "Authorization", pay("/api/write-then-throw"));
    assertEquals(500, thrown.status());
    assertEquals(new Delivery(false, 500, 0), delivery(), "the container's error status");
    JettyHarness.Response redirect =
        jetty.get("/api/redirect", "Authorization", pay("/api/redirect"));
    assertEquals(302, redirect.status());
    assertEquals(new Delivery(false, 302, 0), delivery());
  }

  @Test
  void asyncCompletionCompletesWithTheFinalStatus() throws Exception {
    JettyHarness.Response failed =
        jetty.get("/api/async-503-context", "Authorization", pay("/api/async-503-context"));
    assertEquals(503, failed.status());
    assertEquals(new Delivery(false, 503, 0), delivery());
    JettyHarness.Response ok = jetty.get("/api/async-ok", "Authorization", pay("/api/async-ok"));
    assertEquals(200, ok.status());
    assertEquals(new Delivery(true, 200, 1), delivery());
    JettyHarness.Response units =
        jetty.get("/api/async-units", "Authorization", pay("/api/async-units"));
    assertEquals(200, units.status());
    assertEquals(new Delivery(true, 200, 42), delivery(), "units set on the async thread");
  }

  @Test
  void unitsReportedByTheApplicationReachTheSettlement() throws Exception {
    JettyHarness.Response r = jetty.get("/api/units", "Authorization", pay("/api/units"));
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(new Delivery(true, 200, 7), delivery());
    JettyHarness.Response error =
        jetty.get("/api/units-int-error", "Authorization", pay("/api/units-int-error"));
    assertEquals(503, error.status());
    assertEquals(
        new Delivery(false, 503, 3),
        delivery(),
        "an Integer counts; the capture rule is unchanged");
  }

  @Test
  void invalidUnitsAreIgnoredAndTheDefaultApplies() throws Exception {
    JettyHarness.Response negative =
        jetty.get("/api/units-negative", "Authorization", pay("/api/units-negative"));
    assertEquals(200, negative.status());
    assertEquals(new Delivery(true, 200, 1), delivery());
    JettyHarness.Response text =
        jetty.get("/api/units-text", "Authorization", pay("/api/units-text"));
    assertEquals(200, text.status());
    assertEquals(new Delivery(true, 200, 1), delivery(), "a string is not a count");
  }
}
