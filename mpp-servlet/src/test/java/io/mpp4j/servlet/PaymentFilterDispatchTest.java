package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The "check and decide" items of issue 11: forwards, includes, error and async dispatches from an
 * unpaid route to a paid servlet. Decision: the filter guards every dispatch it is mapped for, and
 * the documentation maps it for all five dispatcher types; a dispatch within a request that was
 * paid for is not charged again. With a {@code REQUEST}-only mapping the container never shows the
 * filter a forward (the last test): that mapping is documented as unsafe for applications that
 * forward.
 */
class PaymentFilterDispatchTest {
  static final EnumSet<DispatcherType> ALL = EnumSet.allOf(DispatcherType.class);

  final AtomicInteger premiumServed = new AtomicInteger();
  MockPaymentMethod mock;
  JettyHarness jetty;

  /** The paid content. */
  final class Premium extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      premiumServed.incrementAndGet();
      resp.getWriter().write("premium content");
    }
  }

  /** Free routes that dispatch to the paid one in every way. */
  static final class Dispatcher extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
        throws IOException, ServletException {
      switch (TestApp.path(req)) {
        case "/free/forward", "/api/forward" ->
            req.getRequestDispatcher("/api/premium").forward(req, resp);
        case "/free/include" -> {
          resp.getWriter().write("page:");
          req.getRequestDispatcher("/api/premium").include(req, resp);
        }
        case "/free/async", "/api/async" -> {
          AsyncContext ac = req.startAsync();
          ac.dispatch("/api/premium");
        }
        case "/free/missing" -> resp.sendError(404);
        default -> resp.getWriter().write("free");
      }
    }
  }

  void start(EnumSet<DispatcherType> dispatches) throws Exception {
    mock = MockPaymentMethod.create();
    PaymentRequirement cent = JettyHarness.cent();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(
                JettyHarness.gate("dispatch-test-secret-0123456789abcdef", mock))
            .route("/api/premium", cent)
            .route("/api/forward", cent)
            .route("/api/async", cent)
            .build();
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/api/premium", new Premium());
    servlets.put("/*", new Dispatcher());
    jetty =
        JettyHarness.start(
            "/",
            new FilterHolder(new PaymentFilter(config)),
            dispatches,
            servlets,
            context -> {
              ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
              errors.addErrorPage(404, "/api/premium");
              context.setErrorHandler(errors);
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  @Test
  void forwardFromAFreeRouteToAPaidOneIsGuarded() throws Exception {
    start(ALL);
    JettyHarness.Response r = jetty.get("/free/forward");
    assertEquals(402, r.status());
    assertEquals(0, premiumServed.get());
    // Paying through the forward works: the forward is the paid request.
    JettyHarness.Response paid =
        jetty.get("/free/forward", "Authorization", MockPayer.pay(r.all("WWW-Authenticate")));
    assertEquals(200, paid.status());
    assertEquals("premium content", paid.text());
    assertNotNull(paid.header("Payment-Receipt"));
    assertEquals(1, mock.settled().size());
  }

  @Test
  void includeOfAPaidRouteIsGuarded() throws Exception {
    start(ALL);
    JettyHarness.Response r = jetty.get("/free/include");
    assertFalse(r.text().contains("premium content"), r.text());
    assertNull(r.header("Payment-Receipt"));
    assertEquals(0, premiumServed.get());
  }

  @Test
  void asyncDispatchToAPaidRouteIsGuarded() throws Exception {
    start(ALL);
    JettyHarness.Response r = jetty.get("/free/async");
    assertEquals(402, r.status());
    assertEquals(0, premiumServed.get());
  }

  @Test
  void errorPageOnAPaidPathIsGuarded() throws Exception {
    start(ALL);
    JettyHarness.Response r = jetty.get("/free/missing");
    assertFalse(r.text().contains("premium content"), r.text());
    assertEquals(0, premiumServed.get());
  }

  @Test
  void aPaidRequestForwardingToAnotherPaidRouteIsChargedOnce() throws Exception {
    start(ALL);
    JettyHarness.Response unpaid = jetty.get("/api/forward");
    assertEquals(402, unpaid.status());
    JettyHarness.Response r =
        jetty.get("/api/forward", "Authorization", MockPayer.pay(unpaid.all("WWW-Authenticate")));
    assertEquals(200, r.status());
    assertEquals("premium content", r.text());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(1, mock.received().size(), "one verification, no replay refusal inside");
    assertEquals(1, premiumServed.get());
  }

  @Test
  void aPaidRequestsAsyncDispatchIsServedWithTheReceiptAndChargedOnce() throws Exception {
    start(ALL);
    JettyHarness.Response unpaid = jetty.get("/api/async");
    assertEquals(402, unpaid.status());
    JettyHarness.Response r =
        jetty.get("/api/async", "Authorization", MockPayer.pay(unpaid.all("WWW-Authenticate")));
    assertEquals(200, r.status());
    assertEquals("premium content", r.text());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(1, mock.received().size());
    assertEquals(1, premiumServed.get());
  }

  @Test
  void requestOnlyMappingDoesNotSeeForwardsSoTheDocsMapAllDispatcherTypes() throws Exception {
    start(EnumSet.of(DispatcherType.REQUEST));
    assertEquals(402, jetty.get("/api/premium").status());
    // The container runs REQUEST-only filters once: a forward reaches the servlet unguarded.
    JettyHarness.Response r = jetty.get("/free/forward");
    assertEquals(200, r.status());
    assertEquals(1, premiumServed.get());
  }
}
