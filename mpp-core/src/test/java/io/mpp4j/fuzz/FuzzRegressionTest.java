package io.mpp4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.CanonicalJson;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression tests: minimal reproducers of the defects the fuzzing found in mpp-core, each fixed
 * (shortest number formatting at powers of two, an overflow on far expiries, the credential fast
 * path skipping the control-character check, error messages quoting input, and token JSON that was
 * not held to well-formed UTF-8).
 */
class FuzzRegressionTest {

  /**
   * RFC 8785 / ECMAScript Number::toString needs the fewest digits that read back. For exact powers
   * of two the lower rounding interval is half as wide, and {@code formatDouble} only tries the
   * nearest p-digit rounding, so it can miss a shorter candidate on the other side: 2^-24 is
   * written {@code 5.9604644775390625e-8}, JavaScript writes {@code 5.960464477539063e-8}. The
   * canonical request (and so the HMAC challenge id) then differs from other JCS implementations.
   */
  @Test
  void powersOfTwoAreFormattedWithTheFewestDigits() {
    assertEquals("5.960464477539063e-8", CanonicalJson.formatNumber(Math.scalb(1.0, -24)));
    assertEquals("5.684341886080802e-14", CanonicalJson.formatNumber(Math.scalb(1.0, -44)));
    List<String> notShortest = new ArrayList<>();
    for (int e = -1074; e <= 1023; e++) {
      double d = Math.scalb(1.0, e);
      String text = CanonicalJson.formatNumber(d);
      String digits =
          text.replaceFirst("e.*$", "")
              .replace(".", "")
              .replaceFirst("^0+", "")
              .replaceFirst("0+$", "");
      if (digits.length() > 1) {
        BigDecimal exact = new BigDecimal(d);
        for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
          BigDecimal shorter = exact.round(new MathContext(digits.length() - 1, mode));
          if (shorter.doubleValue() == d) {
            notShortest.add("2^" + e + " -> " + text + " (" + shorter + " reads back too)");
          }
        }
      }
    }
    assertEquals(List.of(), notShortest);
  }

  /**
   * {@code PaymentGate.evaluate} is documented never to throw for client input, but a credential
   * whose (correctly bound) challenge expires after about year 292,278,994 makes {@code
   * InMemoryReplayStore.tryClaim} call {@code Duration.toMillis()}, which throws {@code
   * ArithmeticException: long overflow} out of the gate. Reaching it needs a valid HMAC id, so it
   * takes the secret (or a peer that shares it); the test's secret is public.
   */
  @Test
  void farFutureExpiryDoesNotEscapeTheGate() {
    Challenge unbound =
        Challenge.builder()
            .id("x")
            .realm("api.example.com")
            .method("tempo")
            .request(PaymentGateFuzzProperties.OFFERED)
            .expires("+999999999-12-31T23:59:59Z")
            .build();
    ChallengeBinder binder =
        ChallengeBinder.of(ChallengeSecret.of("0123456789abcdef0123456789abcdef"));
    Challenge bound = unbound.withId(binder.computeId(unbound));
    String header = Credential.of(bound, Map.of("type", "hash"), null).toHeaderValue();
    PaymentGate gate = PaymentGateFuzzProperties.newGate();
    RequestView view = RequestView.builder().header("Authorization", header).build();
    GateResult result = gate.evaluate(PaymentGateFuzzProperties.REQUIREMENT, view);
    assertTrue(result instanceof GateResult.Paid || result instanceof GateResult.Rejected);
  }

  /**
   * The single-scheme fast path of {@code Credential.countIn/extractToken/parse} takes {@code
   * substring(8).strip()} without the control-character check the scanner applies, so a header the
   * documentation calls not well-formed is accepted: a NUL is returned inside the token, and
   * whitespace-class control characters (U+000B, U+001C..U+001F, CR, LF) or Unicode spaces around a
   * genuine token are silently dropped, while the same credential after another scheme is rejected.
   */
  @Test
  void controlCharactersAreRejectedOnTheFastPathToo() throws MalformedMessageException {
    assertThrows(MalformedMessageException.class, () -> Credential.countIn("Payment abc\u0000"));
    assertThrows(
        MalformedMessageException.class, () -> Credential.extractToken("Payment abc\u001f"));
    Challenge challenge = Challenge.builder().id("i").realm("r").method("tempo").build();
    String genuine = Credential.of(challenge, Map.of("type", "hash"), null).toHeaderValue();
    assertThrows(
        MalformedMessageException.class, () -> Credential.parse("Bearer x, " + genuine + "\u001f"));
    assertThrows(MalformedMessageException.class, () -> Credential.parse(genuine + "\u001f"));
  }

  /**
   * {@code MalformedMessageException} promises a message that "never contains the input itself",
   * yet the strict scanner quotes auth-param names from the input (lower-cased, unbounded length),
   * and {@code PaymentGate} copies that message into the problem {@code detail} sent to clients.
   */
  @Test
  void errorMessagesDoNotQuoteTheInput() {
    String secretLooking = "s3cr3tt0k3nv4lu3s3cr3tt0k3nv4lu3";
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class,
            () -> Credential.countIn("Payment " + secretLooking + "=1 x"));
    assertFalse(e.getMessage().contains(secretLooking), e.getMessage());
    MalformedMessageException dup =
        assertThrows(
            MalformedMessageException.class,
            () -> Challenge.parse("Payment " + secretLooking + "=1, " + secretLooking + "=2"));
    assertFalse(dup.getMessage().contains(secretLooking), dup.getMessage());
  }

  /**
   * The JSON inside tokens is read by Jackson from raw bytes, so it is not held to the strict UTF-8
   * that {@code Base64Url.decodeToString} and RFC 8259 section 8.1 require: Jackson auto-detects
   * UTF-16/UTF-32 and a BOM, and decodes overlong forms (C0 A2 as '"'), encoded surrogates (ED A0
   * 80 as a lone U+D800) and code points above U+10FFFF into garbage instead of rejecting them.
   * {@code Receipt.parse}, {@code PaymentRequest.parse} and {@code Credential.parseToken} all
   * accept such documents.
   */
  @Test
  void tokenJsonMustBeWellFormedUtf8() {
    String json =
        "{\"status\":\"success\",\"timestamp\":\"2025-01-15T12:05:00Z\",\"reference\":\"r\"}";
    String utf16 = Base64Url.encode(json.getBytes(StandardCharsets.UTF_16BE));
    assertThrows(MalformedMessageException.class, () -> Receipt.parse(utf16));
    assertThrows(MalformedMessageException.class, () -> PaymentRequest.parse(utf16));

    // "reference":"r" followed by ED A0 80, the (forbidden) UTF-8 form of the surrogate U+D800.
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    int at = json.lastIndexOf('"');
    byte[] withSurrogate = new byte[utf8.length + 3];
    System.arraycopy(utf8, 0, withSurrogate, 0, at);
    withSurrogate[at] = (byte) 0xed;
    withSurrogate[at + 1] = (byte) 0xa0;
    withSurrogate[at + 2] = (byte) 0x80;
    System.arraycopy(utf8, at, withSurrogate, at + 3, utf8.length - at);
    String token = Base64Url.encode(withSurrogate);
    assertThrows(MalformedMessageException.class, () -> Receipt.parse(token));
  }
}
