package io.mpp4j.core.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProblemTest {
  @Test
  void registryMatchesTheSpecTable() {
    assertEquals(20, ProblemType.values().length);
    assertEquals(402, ProblemType.PAYMENT_REQUIRED.status());
    assertEquals(400, ProblemType.METHOD_UNSUPPORTED.status());
    assertEquals(400, ProblemType.BAD_REQUEST.status());
    assertEquals(410, ProblemType.SESSION_CHANNEL_NOT_FOUND.status());
    assertEquals(410, ProblemType.SESSION_CHANNEL_FINALIZED.status());
    assertEquals(403, ProblemType.FORBIDDEN.status());
    assertEquals("Invalid Challenge", ProblemType.INVALID_CHALLENGE.title());
    assertEquals(
        "https://paymentauth.org/problems/session/insufficient-balance",
        ProblemType.SESSION_INSUFFICIENT_BALANCE.uri());
    assertEquals("payment_expired", ProblemType.PAYMENT_EXPIRED.errorCode());
    assertEquals(
        ProblemType.INVALID_PAYLOAD,
        ProblemType.fromUri("https://paymentauth.org/problems/invalid-payload"));
    assertEquals(
        ProblemType.SESSION_DELTA_TOO_SMALL, ProblemType.fromUri("session/delta-too-small"));
    assertNull(ProblemType.fromUri("nope"));
  }

  @Test
  void bodyCarriesChallengeIdReasonAndHint() {
    Problem p =
        Problem.of(
                ProblemType.INVALID_CHALLENGE,
                ReasonCode.CHALLENGE_USED,
                "The challenge was already used.")
            .withChallengeId("abc")
            .withHint("Pay the new challenge.");
    assertEquals(
        "{\"type\":\"https://paymentauth.org/problems/invalid-challenge\",\"title\":\"Invalid"
            + " Challenge\",\"status\":402,\"detail\":\"The challenge was already used.\","
            + "\"challengeId\":\"abc\",\"reason\":\"challenge_used\",\"hint\":\"Pay the new challenge.\"}",
        new String(p.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void reasonCodesAreStableIdentifiers() {
    assertEquals("tempo.amount_mismatch", ReasonCode.of("tempo.amount_mismatch").code());
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of("Has Spaces"));
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of(""));
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of("x".repeat(65)));
  }

  @Test
  void extensionMembersFollowTheStandardOnesAndSurviveTheWithMethods() {
    Problem p =
        Problem.of(
                ProblemType.SESSION_INSUFFICIENT_BALANCE,
                ReasonCode.of("session.insufficient_balance"),
                "short")
            .withExtensions(java.util.Map.of("requiredTopUp", "1000"))
            .withChallengeId("abc")
            .withHint("top up");
    String json = new String(p.toJson(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"type\":\"https://paymentauth.org/problems/session/insufficient-balance\","
            + "\"title\":\"Insufficient Balance\",\"status\":402,\"detail\":\"short\","
            + "\"challengeId\":\"abc\",\"reason\":\"session.insufficient_balance\","
            + "\"hint\":\"top up\",\"requiredTopUp\":\"1000\"}",
        json);
    assertEquals(
        java.util.Map.of(),
        Problem.of(ProblemType.BAD_REQUEST, ReasonCode.of("x"), "d").extensions());
    for (String reserved : new String[] {"type", "status", "challengeId", "hint", "reason"}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> p.withExtensions(java.util.Map.of(reserved, "x")),
          reserved);
    }
    assertEquals(429, ProblemType.RATE_LIMITED.status());
    assertEquals("rate_limited", ProblemType.RATE_LIMITED.errorCode());
  }
}
