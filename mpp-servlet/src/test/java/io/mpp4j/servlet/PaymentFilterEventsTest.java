package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mpp4j.core.Credential;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.PaymentEvent;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 4 at the servlet level: the events of a 402, a refusal, a capture, a cancel and a
 * failed capture, from the gate and from where the filter completes the deferred settlement.
 */
class PaymentFilterEventsTest {
  final BlockingQueue<PaymentEvent> events = new LinkedBlockingQueue<>();
  MockPaymentMethod method;
  JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    method = MockPaymentMethod.create().deferSettlement(true);
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("events-test-secret-0123456789abcdef"))
            .method(method)
            .listener(events::add)
            .build();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(gate)
            .route(
                new PaidRoute(
                    "premium", Set.of("GET", "HEAD"), "/api/*", JettyHarness.cent(), null))
            .build();
    jetty = JettyHarness.start(new PaymentFilter(config), new PaymentFilterSettlementTest.App());
  }

  @AfterEach
  void stop() {
    jetty.close();
  }

  /** The events of one request: waits for the given number, then checks there are no more. */
  List<PaymentEvent> next(int count) throws Exception {
    List<PaymentEvent> got = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PaymentEvent e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "only " + got.size() + " events: " + got);
      got.add(e);
    }
    assertNull(events.poll(100, TimeUnit.MILLISECONDS), "more events than expected");
    return got;
  }

  String pay(String path) throws Exception {
    JettyHarness.Response unpaid = jetty.get(path);
    assertEquals(402, unpaid.status());
    List<PaymentEvent> issued = next(1);
    assertEquals(PaymentEvent.Type.CHALLENGE_ISSUED, issued.get(0).type());
    return MockPayer.pay(unpaid.all("WWW-Authenticate"));
  }

  static List<PaymentEvent.Type> types(List<PaymentEvent> events) {
    return events.stream().map(PaymentEvent::type).toList();
  }

  @Test
  void unpaidRequestReportsTheChallengeItWasSent() throws Exception {
    JettyHarness.Response r = jetty.get("/api/content");
    assertEquals(402, r.status());
    PaymentEvent e = next(1).get(0);
    assertEquals(PaymentEvent.Type.CHALLENGE_ISSUED, e.type());
    assertEquals("premium", e.route());
    assertEquals(method.name(), e.method());
    assertEquals("charge", e.intent());
    String id = Credential.parse(MockPayer.pay(r.all("WWW-Authenticate"))).challenge().id();
    assertEquals(id, e.challengeId());
  }

  @Test
  void freeRequestsReportNothing() throws Exception {
    // Not a paid route: the filter passes it through without asking the gate.
    assertEquals(200, jetty.get("/content").status());
    assertNull(events.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void deliveredResponseIsVerifiedThenCaptured() throws Exception {
    String authorization = pay("/api/content");
    String id = Credential.parse(authorization).challenge().id();
    JettyHarness.Response r = jetty.get("/api/content", "Authorization", authorization);
    assertEquals(200, r.status());
    List<PaymentEvent> got = next(2);
    assertEquals(List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.SETTLED), types(got));
    for (PaymentEvent e : got) {
      assertEquals("premium", e.route());
      assertEquals(id, e.challengeId());
    }
  }

  @Test
  void failedResponseIsVerifiedThenCancelled() throws Exception {
    String authorization = pay("/api/write-then-error");
    assertEquals(500, jetty.get("/api/write-then-error", "Authorization", authorization).status());
    assertEquals(List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.CANCELLED), types(next(2)));
  }

  @Test
  void asyncResponseIsCancelledWhenItCompletesWithAnError() throws Exception {
    String authorization = pay("/api/async-503-context");
    assertEquals(503, jetty.get("/api/async-503-context", "Authorization", authorization).status());
    assertEquals(List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.CANCELLED), types(next(2)));
  }

  @Test
  void failedCaptureIsReportedWithTheBackendsReason() throws Exception {
    method.failSettlement(true);
    String authorization = pay("/api/content");
    assertEquals(200, jetty.get("/api/content", "Authorization", authorization).status());
    List<PaymentEvent> got = next(2);
    assertEquals(
        List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.SETTLEMENT_FAILED), types(got));
    assertEquals(ReasonCode.of("mock.capture_failed"), got.get(1).reason());
  }

  @Test
  void refusalIsReportedWithItsProblem() throws Exception {
    String authorization = pay("/api/content");
    assertEquals(200, jetty.get("/api/content", "Authorization", authorization).status());
    next(2);
    JettyHarness.Response replay = jetty.get("/api/content", "Authorization", authorization);
    assertEquals(402, replay.status());
    PaymentEvent e = next(1).get(0);
    assertEquals(PaymentEvent.Type.REFUSED, e.type());
    assertEquals(ProblemType.INVALID_CHALLENGE, e.problemType());
    assertEquals(ReasonCode.CHALLENGE_USED, e.reason());
    assertEquals(402, e.status());
    assertEquals(Credential.parse(authorization).challenge().id(), e.challengeId());
    assertNotNull(e.freshChallengeId());

    assertEquals(402, jetty.get("/api/content", "Authorization", "Payment junk").status());
    PaymentEvent malformed = next(1).get(0);
    assertEquals(ProblemType.MALFORMED_CREDENTIAL, malformed.problemType());
    assertNull(malformed.challengeId());
  }

  @Test
  void throwingListenerDoesNotChangeWhatTheClientGets() throws Exception {
    jetty.close();
    method = MockPaymentMethod.create().deferSettlement(true);
    PaymentGate gate =
        PaymentGate.builder()
            .realm("api.test")
            .secret(ChallengeSecret.of("events-test-secret-0123456789abcdef"))
            .method(method)
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .listener(events::add)
            .build();
    jetty =
        JettyHarness.start(
            new PaymentFilter(
                PaymentFilterConfig.builder(gate).route("/api/*", JettyHarness.cent()).build()),
            new PaymentFilterSettlementTest.App());
    String authorization = pay("/api/content");
    JettyHarness.Response r = jetty.get("/api/content", "Authorization", authorization);
    assertEquals(200, r.status());
    assertNotNull(r.header("Payment-Receipt"));
    assertEquals(List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.SETTLED), types(next(2)));
  }
}
