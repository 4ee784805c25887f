package io.mpp4j.fuzz;

import static io.mpp4j.fuzz.Fuzz.describe;
import static io.mpp4j.fuzz.Fuzz.neverThrows;
import static io.mpp4j.fuzz.Fuzz.parseOrMalformed;

import io.mpp4j.core.AcceptPayment;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.BodyDigest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds one input to every wire parser of mpp-core and checks each parser's documented contract (a
 * value or {@code MalformedMessageException}; never-throwing parsers never throw) plus cheap
 * consistency between related parsers.
 */
final class WireContracts {
  private static final List<Challenge> SAMPLE_OFFERS =
      List.of(
          Challenge.builder().id("a").method("tempo").build(),
          Challenge.builder().id("b").method("stripe").build(),
          Challenge.builder().id("c").method("tempo").intent(Intent.SESSION).build());

  private WireContracts() {}

  /** Runs every parser on {@code s}. */
  static void checkAll(String s) {
    checkChallengeParsers(s);
    checkCredentialParsers(s);
    checkTokenParsers(s);
    checkLenientParsers(s);
  }

  /** {@code Challenge.parse} and both {@code parseAll} overloads. */
  static void checkChallengeParsers(String s) {
    Fuzz.Outcome<Challenge> one = parseOrMalformed("Challenge.parse", s, () -> Challenge.parse(s));
    Fuzz.Outcome<List<Challenge>> all =
        parseOrMalformed("Challenge.parseAll(String)", s, () -> Challenge.parseAll(s));
    Fuzz.Outcome<List<Challenge>> twice =
        parseOrMalformed("Challenge.parseAll(List)", s, () -> Challenge.parseAll(List.of(s, s)));
    parseOrMalformed(
        "Challenge.parseAll(List)",
        s,
        () -> Challenge.parseAll(List.of("Bearer realm=\"example\"", s)));

    if (all.ok()) {
      check(!all.value().isEmpty(), "Challenge.parseAll returned an empty list", s);
      check(twice.ok(), "parseAll(List.of(s, s)) rejected what parseAll(s) accepted", s);
      check(
          twice.value().size() == 2 * all.value().size(),
          "parseAll(List.of(s, s)) must hold every challenge twice",
          s);
    }
    if (one.ok()) {
      check(
          all.ok() && all.value().equals(List.of(one.value())),
          "Challenge.parse accepted but parseAll disagrees",
          s);
      reformatRoundTrip(one.value(), s);
    } else if (all.ok()) {
      check(all.value().size() != 1, "parseAll found one challenge but parse rejected it", s);
    }
  }

  /** A parsed challenge, formatted again, parses back to itself. */
  private static void reformatRoundTrip(Challenge parsed, String original) {
    String formatted;
    try {
      formatted = parsed.toHeaderValue();
    } catch (IllegalArgumentException notIso88591) {
      return; // parsed values may hold characters a header cannot carry; formatting refuses them
    }
    if (formatted.length() > Challenge.MAX_HEADER_LENGTH) {
      return; // quoting lenient token values can push a near-limit header over the limit
    }
    Fuzz.Outcome<Challenge> again =
        parseOrMalformed(
            "Challenge.parse(toHeaderValue())", formatted, () -> Challenge.parse(formatted));
    check(
        again.ok() && again.value().equals(parsed),
        "a parsed challenge does not survive toHeaderValue() and parse() again: " + formatted,
        original);
  }

  /** {@code Credential.parse/parseToken/countIn/extractToken}. */
  static void checkCredentialParsers(String s) {
    Fuzz.Outcome<Integer> count =
        parseOrMalformed("Credential.countIn", s, () -> Credential.countIn(s));
    Fuzz.Outcome<String> token =
        parseOrMalformed("Credential.extractToken", s, () -> Credential.extractToken(s));
    Fuzz.Outcome<Credential> parsed =
        parseOrMalformed("Credential.parse", s, () -> Credential.parse(s));
    parseOrMalformed("Credential.parseToken", s, () -> Credential.parseToken(s));

    if (count.ok()) {
      check(count.value() >= 0, "Credential.countIn returned a negative count", s);
      check(
          token.ok() == (count.value() == 1),
          "extractToken must succeed exactly when countIn is 1 (countIn="
              + count.value()
              + ", extractToken "
              + (token.ok() ? "succeeded" : "failed: " + token.error().getMessage())
              + ")",
          s);
    } else {
      check(token.malformed(), "extractToken accepted a header countIn rejects", s);
    }
    if (parsed.ok()) {
      check(token.ok(), "Credential.parse accepted a header extractToken rejects", s);
      check(
          parsed.value().encoded().equals(token.value()),
          "Credential.parse must keep the exact token",
          s);
      check(
          parsed.value().challenge() != null && parsed.value().payload() != null,
          "parsed credential lacks a challenge or payload",
          s);
    }
    if (token.ok()) {
      String t = token.value();
      check(t != null && !t.isEmpty(), "extractToken returned an empty token", s);
      Fuzz.Outcome<Credential> viaToken =
          parseOrMalformed(
              "Credential.parseToken(extractToken)", t, () -> Credential.parseToken(t));
      check(
          viaToken.ok() == parsed.ok(),
          "Credential.parse and parseToken(extractToken(...)) disagree",
          s);
    }
  }

  /** {@code Receipt.parse}, {@code PaymentRequest.parse}, {@code Base64Url.decode*}. */
  static void checkTokenParsers(String s) {
    Fuzz.Outcome<Receipt> receipt = parseOrMalformed("Receipt.parse", s, () -> Receipt.parse(s));
    if (receipt.ok()) {
      Receipt r = receipt.value();
      check(!r.status().isEmpty() && !r.reference().isEmpty(), "receipt with empty core field", s);
    }

    Fuzz.Outcome<PaymentRequest> request =
        parseOrMalformed("PaymentRequest.parse", s, () -> PaymentRequest.parse(s));
    if (request.ok()) {
      check(request.value().received().equals(s), "PaymentRequest must keep the received text", s);
    }

    Fuzz.Outcome<byte[]> bytes = parseOrMalformed("Base64Url.decode", s, () -> Base64Url.decode(s));
    Fuzz.Outcome<String> text =
        parseOrMalformed("Base64Url.decodeToString", s, () -> Base64Url.decodeToString(s));
    if (bytes.ok()) {
      // Strict decoding admits only the canonical encoding, so decoding is injective.
      check(
          Base64Url.encode(bytes.value()).equals(s),
          "Base64Url.decode accepted a non-canonical encoding",
          s);
      boolean wellFormedUtf8 = isWellFormedUtf8(bytes.value());
      check(
          text.ok() == wellFormedUtf8,
          "Base64Url.decodeToString must accept exactly the well-formed UTF-8 payloads",
          s);
      if (text.ok()) {
        check(
            text.value().equals(new String(bytes.value(), StandardCharsets.UTF_8)),
            "decodeToString disagrees with decode",
            s);
      }
    } else {
      check(text.malformed(), "decodeToString accepted text that decode rejects", s);
    }
  }

  /** {@code AcceptPayment.parse} and {@code BodyDigest.parse} never throw. */
  static void checkLenientParsers(String s) {
    AcceptPayment accept = neverThrows("AcceptPayment.parse", s, () -> AcceptPayment.parse(s));
    check(accept != null, "AcceptPayment.parse returned null", s);
    List<Challenge> ordered =
        neverThrows(
            "AcceptPayment.orderChallenges", s, () -> accept.orderChallenges(SAMPLE_OFFERS));
    check(
        !ordered.isEmpty() && SAMPLE_OFFERS.containsAll(ordered),
        "Accept-Payment ordering must keep a non-empty subset of the offers",
        s);

    byte[] hash = neverThrows("BodyDigest.parse", s, () -> BodyDigest.parse(s));
    check(hash == null || hash.length == 32, "BodyDigest.parse returned a non-SHA-256 hash", s);
    neverThrows("BodyDigest.matches", s, () -> BodyDigest.matches(s, new byte[] {1, 2, 3}));
  }

  /** Independent oracle: the JDK's replacing decoder round-trips exactly the well-formed input. */
  static boolean isWellFormedUtf8(byte[] bytes) {
    return Arrays.equals(
        new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
  }

  static void check(boolean condition, String message, Object input) {
    if (!condition) {
      throw new AssertionError(message + " on input " + describe(input));
    }
  }
}
