package io.mpp4j.fuzz;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.internal.Json;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Shared generators for the fuzz properties. */
final class FuzzArbitraries {
  private FuzzArbitraries() {}

  /** The base64url alphabet. */
  static final String BASE64URL_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** Words and punctuation of the auth-header, base64url and JSON grammars. */
  static final List<String> GRAMMAR_TOKENS =
      List.of(
          "Payment",
          "payment",
          "PAYMENT",
          "Payment ",
          "Bearer",
          "Bearer ",
          "Basic",
          "Digest",
          "id",
          "ID",
          "realm",
          "method",
          "intent",
          "request",
          "expires",
          "digest",
          "description",
          "opaque",
          "header",
          "tempo",
          "charge",
          "session",
          "=",
          "==",
          "\"",
          "\"\"",
          "\\",
          "\\\\",
          "\\\"",
          ",",
          ", ",
          " ",
          "  ",
          "\t",
          "e30",
          "eyJ",
          "W10",
          "bnVsbA",
          "Payment-Authorization",
          "Authorization",
          "sha-256=",
          ":",
          "/",
          ";",
          ";q=",
          "0.5",
          "*",
          "*/*",
          "tempo/charge",
          "-",
          "_",
          "~",
          "+",
          ".",
          "0",
          "2025-01-15T12:05:00Z",
          "{",
          "}",
          "[",
          "]");

  /** Fully arbitrary strings, including non-ASCII, lone surrogates and control characters. */
  static Arbitrary<String> arbitraryStrings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.strings().ascii().ofMaxLength(300),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(300),
        Arbitraries.strings()
            .withCharRange('\ud800', '\udfff')
            .withChars("Payment =\",\\e30")
            .ofMaxLength(120),
        Arbitraries.strings()
            .withCharRange('\u0000', '\u001f')
            .withChars('\u007f', '\u0085', '\u2028', '\ufeff', ' ', 'a', '=', '"')
            .ofMaxLength(60),
        Arbitraries.strings().withChars(BASE64URL_CHARS).ofMaxLength(300));
  }

  /** Strings assembled from the interesting alphabet of the grammars. */
  static Arbitrary<String> grammarStrings() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.of(GRAMMAR_TOKENS)),
            Tuple.of(2, Arbitraries.strings().withChars(BASE64URL_CHARS).ofMaxLength(24)),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(2)));
    return piece.list().ofMaxSize(80).map(parts -> String.join("", parts));
  }

  /** Header-safe text: printable ISO-8859-1 and tab, as {@code toHeaderValue()} can carry. */
  static Arbitrary<String> headerText(int min, int max) {
    return Arbitraries.frequencyOf(
        Tuple.of(
            6,
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars("\"\\\"\\,=")
                .ofMinLength(min)
                .ofMaxLength(max)),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .withCharRange('\u0080', '\u00ff')
                .withChars('\t')
                .ofMinLength(min)
                .ofMaxLength(max)));
  }

  /** Well-formed Unicode text (no lone surrogates), including supplementary characters. */
  static Arbitrary<String> unicodeText(int min, int max) {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
            Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
            Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
            Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
            Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
    return codePoint
        .list()
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(
            cps -> {
              StringBuilder sb = new StringBuilder(cps.size() * 2);
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
  }

  /** Widens an arbitrary to {@code Arbitrary<Object>}. */
  static Arbitrary<Object> asObject(Arbitrary<?> arbitrary) {
    return arbitrary.map(x -> (Object) x);
  }

  /** Intent names: {@code 1*(ALPHA / DIGIT / "-")}, at most 64 characters. */
  static Arbitrary<Intent> intents() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(Intent.CHARGE, Intent.SESSION, Intent.SUBSCRIPTION)),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars('-')
                .ofMinLength(1)
                .ofMaxLength(64)
                .map(Intent::of)));
  }

  /** JSON leaf values that read back from JSON as the same Java objects. */
  static Arbitrary<Object> jsonLeaves(boolean withDoubles) {
    List<Tuple.Tuple2<Integer, Arbitrary<Object>>> leaves = new ArrayList<>();
    leaves.add(Tuple.of(4, asObject(unicodeText(0, 12))));
    leaves.add(Tuple.of(2, asObject(Arbitraries.integers())));
    leaves.add(Tuple.of(1, asObject(Arbitraries.of(Boolean.TRUE, Boolean.FALSE))));
    if (withDoubles) {
      leaves.add(Tuple.of(1, asObject(finiteDoubles())));
    }
    Arbitrary<Object> leaf = Arbitraries.frequencyOf(leaves);
    return leaf.injectNull(0.05);
  }

  /** JSON object trees of plain Java values, nested up to {@code depth}. */
  static Arbitrary<Map<String, Object>> jsonObjects(int depth, boolean withDoubles) {
    return Arbitraries.maps(unicodeText(0, 8), jsonValues(depth, withDoubles)).ofMaxSize(5);
  }

  private static Arbitrary<Object> jsonValues(int depth, boolean withDoubles) {
    Arbitrary<Object> leaf = jsonLeaves(withDoubles);
    if (depth <= 0) {
      return leaf;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(5, leaf),
        Tuple.of(1, Arbitraries.lazy(() -> jsonObjects(depth - 1, withDoubles)).map(m -> m)),
        Tuple.of(
            1,
            Arbitraries.lazy(() -> jsonValues(depth - 1, withDoubles))
                .list()
                .ofMaxSize(4)
                .map(l -> l)));
  }

  /** Finite doubles, including subnormals, huge and tiny magnitudes and exact integers. */
  // 5e-324 (the smallest subnormal) and 2^53 + 1 are written as a JSON sender would write them;
  // that they round is the point.
  @SuppressWarnings("FloatingPointLiteralPrecision")
  static Arbitrary<Double> finiteDoubles() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.doubles()),
        Tuple.of(
            2, Arbitraries.longs().map(Double::longBitsToDouble).filter(d -> Double.isFinite(d))),
        Tuple.of(1, Arbitraries.integers().map(i -> (double) i)),
        Tuple.of(
            1,
            Arbitraries.of(
                0.0, -0.0, 1e21, 1e-7, 1e-6, 5e-324, Double.MAX_VALUE, 9007199254740993.0)));
  }

  /** Numbers of every Java type CanonicalJson accepts. */
  static Arbitrary<Number> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.longs(),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
        finiteDoubles(),
        Arbitraries.shorts(),
        Arbitraries.bytes());
  }

  /** Payment requests built from random JSON objects (including doubles). */
  static Arbitrary<PaymentRequest> requests() {
    return jsonObjects(2, true).map(PaymentRequest::of);
  }

  /** Valid challenges whose every field {@code toHeaderValue()} can carry. */
  static Arbitrary<Challenge> challenges() {
    Arbitrary<Challenge.Builder> core =
        Combinators.combine(
                headerText(1, 43), headerText(0, 40), headerText(1, 20), intents(), requests())
            .as(
                (id, realm, method, intent, request) ->
                    Challenge.builder()
                        .id(id)
                        .realm(realm)
                        .method(method)
                        .intent(intent)
                        .request(request));
    return Combinators.combine(
            core,
            headerText(0, 25).injectNull(0.4),
            headerText(0, 60).injectNull(0.4),
            headerText(0, 40).injectNull(0.4),
            headerText(0, 40).injectNull(0.4),
            Arbitraries.of("Payment-Authorization", "payment-authorization", "Authorization")
                .injectNull(0.6))
        .as(
            (b, expires, digest, description, opaque, header) ->
                b.expires(expires)
                    .digest(digest)
                    .description(description)
                    .opaque(opaque)
                    .header(header)
                    .build());
  }

  /** Challenges with arbitrary well-formed Unicode fields, as a credential's JSON echo allows. */
  static Arbitrary<Challenge> echoChallenges() {
    Arbitrary<Challenge.Builder> core =
        Combinators.combine(
                unicodeText(1, 30), unicodeText(0, 30), unicodeText(1, 12), intents(), requests())
            .as(
                (id, realm, method, intent, request) ->
                    Challenge.builder()
                        .id(id)
                        .realm(realm)
                        .method(method)
                        .intent(intent)
                        .request(request));
    return Combinators.combine(
            core,
            unicodeText(0, 25).injectNull(0.5),
            unicodeText(0, 30).injectNull(0.5),
            unicodeText(0, 30).injectNull(0.5),
            unicodeText(0, 30).injectNull(0.5),
            Arbitraries.of("Payment-Authorization").injectNull(0.7))
        .as(
            (b, expires, digest, description, opaque, header) ->
                b.expires(expires)
                    .digest(digest)
                    .description(description)
                    .opaque(opaque)
                    .header(header)
                    .build());
  }

  /** The {@code source} of a credential: absent, a DID string or a JSON object. */
  static Arbitrary<Object> sources() {
    return Arbitraries.frequencyOf(
            Tuple.of(
                2,
                Arbitraries.strings()
                    .withCharRange('a', 'f')
                    .withCharRange('0', '9')
                    .ofLength(40)
                    .map(h -> "did:pkh:eip155:4217:0x" + h)),
            Tuple.of(1, unicodeText(0, 20)),
            Tuple.of(1, jsonObjects(1, false).map(m -> m)))
        .injectNull(0.4);
  }

  /** Valid credentials. */
  static Arbitrary<Credential> credentials() {
    return Combinators.combine(echoChallenges(), jsonObjects(2, true), sources())
        .as(Credential::of);
  }

  /** Valid {@code Payment-Receipt} values. */
  static Arbitrary<Receipt> receipts() {
    return Combinators.combine(
            unicodeText(1, 12),
            unicodeText(1, 40),
            Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli),
            unicodeText(1, 20).injectNull(0.5),
            jsonObjects(1, true))
        .as(
            (method, reference, at, externalId, extra) -> {
              Receipt r = Receipt.success(method, reference, at).withExternalId(externalId);
              for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (!List.of("status", "method", "timestamp", "reference", "externalId")
                    .contains(e.getKey())) {
                  r = r.with(e.getKey(), e.getValue());
                }
              }
              return r;
            });
  }

  /** Valid wire strings of every kind, as seeds for mutation. */
  static Arbitrary<String> validWireStrings() {
    Arbitrary<String> challengeHeaders = challenges().map(Challenge::toHeaderValue);
    Arbitrary<String> joinedChallenges =
        challenges()
            .list()
            .ofMinSize(2)
            .ofMaxSize(3)
            .map(
                cs -> {
                  List<String> parts = new ArrayList<>();
                  parts.add("Bearer realm=\"x\"");
                  cs.forEach(c -> parts.add(c.toHeaderValue()));
                  return String.join(", ", parts);
                });
    Arbitrary<String> simpleCredentials =
        challenges().map(c -> Credential.of(c, Map.of("type", "hash"), null).toHeaderValue());
    Arbitrary<String> richCredentials = credentials().map(Credential::toHeaderValue);
    Arbitrary<String> receiptValues = receipts().map(Receipt::toHeaderValue);
    Arbitrary<String> requestValues = requests().map(PaymentRequest::encoded);
    return Arbitraries.oneOf(
        challengeHeaders,
        joinedChallenges,
        simpleCredentials,
        richCredentials,
        receiptValues,
        requestValues);
  }

  /** One edit of a string. */
  record Edit(int kind, double where, String text, int span) {
    String applyTo(String s) {
      int n = s.length();
      int at = Math.min(n, (int) (where * (n + 1)));
      int end = Math.min(n, at + span);
      switch (kind) {
        case 0: // replace one character
          return at < n ? s.substring(0, at) + text + s.substring(at + 1) : s + text;
        case 1: // insert
          return s.substring(0, at) + text + s.substring(at);
        case 2: // delete a span
          return s.substring(0, at) + s.substring(end);
        case 3: // duplicate a span
          return s.substring(0, end) + s.substring(at, end) + s.substring(end);
        case 4: // truncate
          return s.substring(0, at);
        case 5: // flip the case of a span
          {
            StringBuilder sb = new StringBuilder(s);
            for (int i = at; i < end; i++) {
              char c = sb.charAt(i);
              sb.setCharAt(
                  i,
                  Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
            }
            return sb.toString();
          }
        default: // flip one bit of one character
          if (at >= n) {
            return s;
          }
          char flipped = (char) (s.charAt(at) ^ (1 << (span % 8)));
          return s.substring(0, at) + flipped + s.substring(at + 1);
      }
    }
  }

  /** Short insertions: grammar tokens, base64url characters or anything at all. */
  static Arbitrary<String> insertions() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(GRAMMAR_TOKENS)),
        Tuple.of(2, Arbitraries.strings().withChars(BASE64URL_CHARS).ofMinLength(1).ofMaxLength(4)),
        Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(2)));
  }

  /** Lists of 1 to 6 random edits. */
  static Arbitrary<List<Edit>> edits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.doubles().between(0, 1),
            insertions(),
            Arbitraries.integers().between(1, 12))
        .as(Edit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  /** Applies edits in order. */
  static String mutate(String s, List<Edit> edits) {
    String out = s;
    for (Edit e : edits) {
      out = e.applyTo(out);
    }
    return out;
  }

  /** Applies byte-level edits (bit flips, insertions, deletions) to JSON bytes. */
  static byte[] mutateBytes(byte[] bytes, List<Edit> edits) {
    byte[] out = bytes;
    for (Edit e : edits) {
      int n = out.length;
      int at = Math.min(n, (int) (e.where() * (n + 1)));
      byte b = (byte) (e.text().isEmpty() ? 0 : e.text().charAt(0));
      switch (e.kind()) {
        case 0, 6 -> {
          if (at < n) {
            out = out.clone();
            out[at] ^= (byte) (1 << (e.span() % 8));
          }
        }
        case 1 -> {
          byte[] grown = new byte[n + 1];
          System.arraycopy(out, 0, grown, 0, at);
          grown[at] = e.span() % 3 == 0 ? (byte) (0x80 | e.span()) : b;
          System.arraycopy(out, at, grown, at + 1, n - at);
          out = grown;
        }
        case 2, 4 -> {
          int end = Math.min(n, at + e.span());
          byte[] shrunk = new byte[n - (end - at)];
          System.arraycopy(out, 0, shrunk, 0, at);
          System.arraycopy(out, end, shrunk, at, n - end);
          out = shrunk;
        }
        default -> {
          if (at < n) {
            out = out.clone();
            out[at] = b;
          }
        }
      }
    }
    return out;
  }

  /** The JSON bytes behind a credential, for byte-level mutation. */
  static byte[] credentialJson(Credential c) {
    return Json.write(c.toJsonMap());
  }

  /** {@code Payment <base64url(json)>}. */
  static String credentialHeader(byte[] json) {
    return "Payment " + Base64Url.encode(json);
  }
}
