package io.mpp4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.AcceptPayment;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.BodyDigest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built worst cases for the scanners and the JSON reader. Every single parser call must finish
 * within {@link #LIMIT_NANOS} (a hang guard, not a performance claim) and obey its contract.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PathologicalInputTest {
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** A complete challenge followed by an extension param whose quoted value never ends. */
  static final String UNTERMINATED_PREFIX =
      "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30\", fuzz=\"";

  private static final PaymentGate GATE = PaymentGateFuzzProperties.newGate();

  /** Runs one call, asserting it obeys {@code parseOrMalformed} and returns within a second. */
  private static <T> Fuzz.Outcome<T> timed(String parser, String input, Callable<T> call) {
    long start = System.nanoTime();
    Fuzz.Outcome<T> outcome = Fuzz.parseOrMalformed(parser, input, call);
    long elapsed = System.nanoTime() - start;
    assertTrue(
        elapsed < LIMIT_NANOS,
        () ->
            parser
                + " took "
                + TimeUnit.NANOSECONDS.toMillis(elapsed)
                + " ms on "
                + Fuzz.describe(input));
    return outcome;
  }

  /** Every wire parser on {@code s}, each call timed; returns the Challenge.parse outcome. */
  static Fuzz.Outcome<Challenge> timedAll(String s) {
    Fuzz.Outcome<Challenge> challenge = timed("Challenge.parse", s, () -> Challenge.parse(s));
    timed("Challenge.parseAll(String)", s, () -> Challenge.parseAll(s));
    timed("Challenge.parseAll(List)", s, () -> Challenge.parseAll(List.of(s, "Basic x")));
    timed("Credential.parse", s, () -> Credential.parse(s));
    timed("Credential.parseToken", s, () -> Credential.parseToken(s));
    timed("Credential.countIn", s, () -> Credential.countIn(s));
    timed("Credential.extractToken", s, () -> Credential.extractToken(s));
    timed("Receipt.parse", s, () -> Receipt.parse(s));
    timed("PaymentRequest.parse", s, () -> PaymentRequest.parse(s));
    timed("Base64Url.decode", s, () -> Base64Url.decode(s));
    timed("Base64Url.decodeToString", s, () -> Base64Url.decodeToString(s));
    AcceptPayment accept = timed("AcceptPayment.parse", s, () -> AcceptPayment.parse(s)).value();
    assertNotNull(accept);
    timed("BodyDigest.parse", s, () -> BodyDigest.parse(s));
    for (String header : List.of("Authorization", "Payment-Authorization")) {
      RequestView view = RequestView.builder().header(header, s).build();
      GateResult result =
          timed(
                  "PaymentGate.evaluate",
                  s,
                  () -> GATE.evaluate(PaymentGateFuzzProperties.REQUIREMENT, view))
              .value();
      assertNotNull(result);
      assertFalse(result instanceof GateResult.Paid, "pathological input was paid");
    }
    return challenge;
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("unterminatedCases")
  void unterminatedQuotedValueOfBackslashesAndQuotes(String filler, int count) {
    String header = UNTERMINATED_PREFIX + filler.repeat(count);
    Fuzz.Outcome<Challenge> outcome = timedAll(header);
    if (header.length() <= Challenge.MAX_HEADER_LENGTH) {
      // Lenient challenge scanning: the unterminated extension param ends the scan silently.
      assertTrue(outcome.ok(), () -> "expected the leading challenge, got " + outcome.error());
      assertEquals("a", outcome.value().id());
    } else {
      assertTrue(outcome.malformed(), "an over-long header must be rejected");
    }
    // The same run inside a credentials header (strict scanning) is always malformed.
    String credential = "Payment abc, Payment x=\"" + filler.repeat(count);
    timedAll(credential);
    Fuzz.expectMalformed("Credential.countIn", credential, () -> Credential.countIn(credential));
  }

  static Stream<Arguments> unterminatedCases() {
    List<Arguments> cases = new ArrayList<>();
    int nearLimit = Challenge.MAX_HEADER_LENGTH - UNTERMINATED_PREFIX.length();
    for (String filler : List.of("\\", "\\\"", "\"\\", "\\\\", "\\,")) {
      for (int chars : List.of(12_000, 30_000, nearLimit, 65_000, 200_000)) {
        cases.add(Arguments.of(filler, Math.max(1, chars / filler.length())));
      }
    }
    cases.add(Arguments.of("\\", 1_000_000));
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("repetitiveCases")
  void repetitiveHeaders(String name, String input) {
    timedAll(input);
  }

  static Stream<Arguments> repetitiveCases() {
    int n = 60_000;
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of("many params", "Payment " + "a=b, ".repeat(n / 5)));
    cases.add(Arguments.of("many duplicate ids", "Payment " + "id=\"a\", ".repeat(n / 8)));
    cases.add(Arguments.of("many bare schemes", "Payment, ".repeat(n / 9)));
    cases.add(Arguments.of("many token68 schemes", "Payment abc, ".repeat(n / 13)));
    cases.add(Arguments.of("equals run", "Payment " + "=".repeat(n)));
    cases.add(
        Arguments.of("token then padding", "Payment " + "A".repeat(n / 2) + "=".repeat(n / 2)));
    cases.add(Arguments.of("token just under limits", "Payment " + "A".repeat(16 * 1024)));
    cases.add(Arguments.of("token over limits", "Payment " + "A".repeat(32 * 1024 - 8)));
    cases.add(Arguments.of("spaces", " ".repeat(1_000_000)));
    cases.add(Arguments.of("tabs after scheme", "Payment" + "\t".repeat(n)));
    cases.add(Arguments.of("commas", ",".repeat(n)));
    cases.add(Arguments.of("quote run", "Payment realm=" + "\"".repeat(n)));
    cases.add(Arguments.of("empty quoted values", "Payment " + "a=\"\",".repeat(n / 5)));
    cases.add(Arguments.of("long param name", "Payment " + "n".repeat(n) + "=x y"));
    cases.add(Arguments.of("long scheme", "P".repeat(n) + " a=b"));
    cases.add(Arguments.of("base64url megabyte", "A".repeat(1_000_000)));
    cases.add(Arguments.of("digest megabyte", "sha-256=" + "A".repeat(1_000_000)));
    cases.add(Arguments.of("accept ranges", "tempo/charge;q=0.5, ".repeat(204)));
    cases.add(Arguments.of("accept params", "tempo/charge" + ";q=1".repeat(800)));
    cases.add(Arguments.of("accept separators", ";,".repeat(2048)));
    cases.add(Arguments.of("control char at end", "Payment " + "a".repeat(n) + "\u0000"));
    StringBuilder valid = new StringBuilder();
    String one = Challenge.builder().id("x").realm("r").method("tempo").build().toHeaderValue();
    while (valid.length() + one.length() + 2 < Challenge.MAX_HEADER_LENGTH) {
      valid.append(valid.length() == 0 ? "" : ", ").append(one);
    }
    cases.add(Arguments.of("hundreds of valid challenges", valid.toString()));
    return cases.stream();
  }

  @Test
  void manyValidChallengesAreAllReturned() {
    String one = Challenge.builder().id("x").realm("r").method("tempo").build().toHeaderValue();
    String header = String.join(", ", Collections.nCopies(500, one));
    Fuzz.Outcome<List<Challenge>> all =
        timed("Challenge.parseAll", header, () -> Challenge.parseAll(header));
    assertTrue(all.ok());
    assertEquals(500, all.value().size());
  }

  @ParameterizedTest(name = "{0} nested {1}")
  @MethodSource("deepCases")
  void deeplyNestedJsonInEveryCarrier(String shape, int depth) {
    String json =
        shape.equals("array")
            ? "[".repeat(depth) + "1" + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String b64 = Base64Url.encode(json);
    timedAll(b64);
    timedAll("Payment " + b64);
    String header =
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"" + b64 + "\"";
    assertTrue(timedAll(header).malformed());
    Fuzz.expectMalformed("Credential.parseToken", b64, () -> Credential.parseToken(b64));
    Fuzz.expectMalformed("PaymentRequest.parse", b64, () -> PaymentRequest.parse(b64));
    Fuzz.expectMalformed("Receipt.parse", b64, () -> Receipt.parse(b64));
    String inPayload =
        Base64Url.encode(
            "{\"challenge\":{\"id\":\"i\",\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\","
                + "\"request\":\"e30\"},\"payload\":{\"x\":"
                + json
                + "}}");
    timedAll("Payment " + inPayload);
    Fuzz.expectMalformed(
        "Credential.parseToken", inPayload, () -> Credential.parseToken(inPayload));
  }

  static Stream<Arguments> deepCases() {
    return Stream.of(
        Arguments.of("array", 33),
        Arguments.of("array", 1_000),
        Arguments.of("array", 10_000),
        Arguments.of("array", 100_000),
        Arguments.of("object", 33),
        Arguments.of("object", 2_400),
        Arguments.of("object", 10_000));
  }
}
