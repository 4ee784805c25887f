package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 point 1: a webapp deployed under a context path. An attacker rewrites the context
 * segment ({@code /%73hop}, {@code /./shop}, {@code /x/../shop}) so that the raw URI no longer
 * starts with the context path byte for byte, while the container still routes the request to the
 * paid servlet. Every path trick of {@link PaymentFilterTest} is tried behind every context trick.
 */
class PaymentFilterContextPathTest {
  /** Ways to write the context path so that the raw URI does not start with it. */
  static List<String> contextTricks(String contextPath) {
    if (contextPath.equals("/")) {
      return List.of("", "/.", "/x/..", "/", "/%2e");
    }
    String first = contextPath.substring(1, 2);
    String rest = contextPath.substring(2);
    String encoded = "/%" + Integer.toHexString(first.charAt(0)) + rest;
    return List.of(
        contextPath,
        encoded,
        "/." + contextPath,
        "/x/.." + contextPath,
        "/" + contextPath,
        contextPath.replace("/", "/./"),
        contextPath + ";x=1",
        "/%2e" + contextPath,
        contextPath.toUpperCase(java.util.Locale.ROOT));
  }

  record Setup(JettyHarness jetty, TestApp app, MockPaymentMethod mock) implements AutoCloseable {
    @Override
    public void close() {
      jetty.close();
    }
  }

  static Setup start(String contextPath) throws Exception {
    MockPaymentMethod mock = MockPaymentMethod.create();
    PaymentRequirement cent = JettyHarness.cent();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(JettyHarness.gate("context-test-secret-0123456789abcdef", mock))
            .route("/api/premium", cent)
            .route(Set.of("POST"), "/api/echo", cent)
            .route("/api/secret/*", cent)
            .build();
    TestApp app = new TestApp();
    JettyHarness jetty =
        JettyHarness.start(
            contextPath,
            new FilterHolder(new PaymentFilter(config)),
            EnumSet.of(DispatcherType.REQUEST),
            Map.of("/*", app));
    return new Setup(jetty, app, mock);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/shop", "/a/b", "/"})
  void noContextOrPathTrickReachesAPaidResourceUnpaid(String contextPath) throws Exception {
    try (Setup s = start(contextPath)) {
      List<String> failures = new ArrayList<>();
      for (String context : contextTricks(contextPath)) {
        for (String path : PaymentFilterTest.pathTricks()) {
          String target = context + path;
          JettyHarness.Response r = s.jetty().get(target);
          if (r.status() != 402 && r.status() != 400 && r.status() != 404) {
            failures.add(target + " -> " + r.status());
          }
          if (s.app().premiumServed.get() != 0) {
            failures.add(target + " served the paid content");
            s.app().premiumServed.set(0);
          }
        }
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        for (String echo : List.of("/api/echo", "/api/%65cho", "/API/echo", "/x/../api/echo")) {
          JettyHarness.Response r = s.jetty().send("POST", context + echo, body);
          if (r.status() != 402 && r.status() != 400 && r.status() != 404) {
            failures.add("POST " + context + echo + " -> " + r.status());
          }
        }
        if (s.app().echoServed.get() != 0) {
          failures.add("POST " + context + "/api/echo echoed unpaid");
          s.app().echoServed.set(0);
        }
      }
      assertEquals(List.of(), failures);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/shop", "/a/b", "/"})
  void paidRequestsAreServedUnderTheContextPath(String contextPath) throws Exception {
    try (Setup s = start(contextPath)) {
      String base = contextPath.equals("/") ? "" : contextPath;
      JettyHarness.Response unpaid = s.jetty().get(base + "/api/premium");
      assertEquals(402, unpaid.status());
      JettyHarness.Response paid =
          s.jetty()
              .get(
                  base + "/api/premium",
                  "Authorization",
                  MockPayer.pay(unpaid.all("WWW-Authenticate")));
      assertEquals(200, paid.status(), paid.text());
      assertEquals("served /api/premium", paid.text());
      assertNotNull(paid.header("Payment-Receipt"));
      assertEquals(1, s.mock().settled().size());
      // Free routes under the context stay free.
      JettyHarness.Response free = s.jetty().get(base + "/free");
      assertEquals(200, free.status());
      assertTrue(free.text().endsWith("/free"));
    }
  }
}
