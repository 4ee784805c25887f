package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.LoggingPaymentListener;
import io.mpp4j.server.PaymentEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log lines the filter wrote before events existed, now written by the gate's default listener:
 * same levels, fields and logger (slf4j-simple, the test binding, writes INFO and above to
 * System.err).
 */
class LoggingPaymentListenerTest {
  static PaymentEvent event(
      PaymentEvent.Type type,
      int status,
      ProblemType problemType,
      ReasonCode reason,
      String fresh,
      String detail) {
    return new PaymentEvent(
        type,
        "premium",
        "mock",
        "charge",
        "1",
        "usd",
        "did:mock:payer",
        "cid-1",
        status,
        problemType,
        reason,
        fresh,
        detail);
  }

  @Test
  void writesTheFiltersLines() {
    LoggingPaymentListener listener = new LoggingPaymentListener();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      listener.onEvent(
          event(
              PaymentEvent.Type.REFUSED,
              402,
              ProblemType.INVALID_CHALLENGE,
              ReasonCode.CHALLENGE_USED,
              "fresh-2",
              null));
      listener.onEvent(event(PaymentEvent.Type.VERIFIED, 0, null, null, null, null));
      listener.onEvent(
          event(
              PaymentEvent.Type.SETTLEMENT_FAILED,
              0,
              null,
              ReasonCode.of("mock.down"),
              null,
              "capture failed"));
      listener.onEvent(
          event(PaymentEvent.Type.CANCELLATION_FAILED, 0, null, null, null, "cancel failed"));
    } finally {
      System.setErr(original);
    }
    List<String> lines =
        captured
            .toString(StandardCharsets.UTF_8)
            .lines()
            .map(l -> l.replaceAll("^\\[.*?\\] ", ""))
            .toList();
    assertEquals(
        List.of(
            "INFO io.mpp4j.servlet.PaymentFilter - payment refused: route=premium status=402"
                + " type=invalid-challenge reason="
                + ReasonCode.CHALLENGE_USED
                + " freshChallengeId=fresh-2",
            "INFO io.mpp4j.servlet.PaymentFilter - paid: route=premium method=mock challengeId=cid-1",
            "ERROR io.mpp4j.servlet.PaymentFilter - deferred settlement failed (delivered=true) for"
                + " challengeId=cid-1: capture failed",
            "ERROR io.mpp4j.servlet.PaymentFilter - deferred settlement failed (delivered=false) for"
                + " challengeId=cid-1: cancel failed"),
        lines);
  }
}
