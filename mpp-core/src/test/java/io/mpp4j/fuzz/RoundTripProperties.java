package io.mpp4j.fuzz;

import static io.mpp4j.fuzz.Fuzz.parseOrMalformed;
import static io.mpp4j.fuzz.WireContracts.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.CanonicalJson;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Formatting then parsing gives back what was formatted. */
class RoundTripProperties {
  /** A plain, unconstrained Jackson mapper: an independent reader of CanonicalJson output. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Property(tries = 800)
  void challengeRoundTrips(@ForAll("challenges") Challenge challenge) {
    String header = challenge.toHeaderValue();
    Fuzz.Outcome<Challenge> parsed =
        parseOrMalformed("Challenge.parse", header, () -> Challenge.parse(header));
    check(parsed.ok(), "a formatted challenge does not parse: " + parsed.error(), header);
    check(parsed.value().equals(challenge), "parse(toHeaderValue()) != challenge", header);
    check(
        parsed.value().request().received().equals(challenge.request().encoded()),
        "request wire text changed",
        header);
  }

  @Property(tries = 300)
  void severalChallengesRoundTripThroughParseAll(
      @ForAll("challengeLists") List<Challenge> challenges) {
    List<String> headers = new ArrayList<>();
    challenges.forEach(c -> headers.add(c.toHeaderValue()));
    String joined = "Basic realm=\"a\", " + String.join(", ", headers) + ", Bearer x";
    Fuzz.Outcome<List<Challenge>> all =
        parseOrMalformed("Challenge.parseAll(String)", joined, () -> Challenge.parseAll(joined));
    check(all.ok() && all.value().equals(challenges), "parseAll(joined) lost challenges", joined);
    Fuzz.Outcome<List<Challenge>> separate =
        parseOrMalformed("Challenge.parseAll(List)", headers, () -> Challenge.parseAll(headers));
    check(
        separate.ok() && separate.value().equals(challenges),
        "parseAll(list) lost challenges",
        headers);
  }

  @Property(tries = 600)
  void credentialRoundTrips(@ForAll("credentials") Credential credential) throws Exception {
    String header = credential.toHeaderValue();
    Fuzz.Outcome<Credential> parsed =
        parseOrMalformed("Credential.parse", header, () -> Credential.parse(header));
    check(parsed.ok(), "a formatted credential does not parse: " + parsed.error(), header);
    Credential back = parsed.value();
    check(back.challenge().equals(credential.challenge()), "challenge differs", header);
    check(back.payload().equals(credential.payload()), "payload differs", header);
    check(Objects.equals(back.source(), credential.source()), "source differs", header);
    check(back.equals(credential) && back.encoded().equals(credential.encoded()), "token", header);
    check(
        Credential.parse(" Bearer abc, payment " + credential.encoded()).equals(credential),
        "scheme case or a second scheme changed the result",
        header);
  }

  @Property(tries = 600)
  void receiptRoundTrips(@ForAll("receipts") Receipt receipt) throws Exception {
    String value = receipt.toHeaderValue();
    Fuzz.Outcome<Receipt> parsed =
        parseOrMalformed("Receipt.parse", value, () -> Receipt.parse(value));
    check(parsed.ok() && parsed.value().equals(receipt), "receipt round trip", value);
    check(Receipt.parse(" " + value + "\t").equals(receipt), "surrounding whitespace", value);
  }

  @Property(tries = 800)
  void paymentRequestRoundTrips(@ForAll("requests") PaymentRequest request) {
    String encoded = request.encoded();
    Fuzz.Outcome<PaymentRequest> parsed =
        parseOrMalformed("PaymentRequest.parse", encoded, () -> PaymentRequest.parse(encoded));
    check(parsed.ok() && parsed.value().equals(request), "request round trip", encoded);
    check(parsed.value().encoded().equals(encoded), "canonical encoding is not stable", encoded);
  }

  @Property(tries = 1500)
  void base64urlRoundTripsArbitraryBytes(@ForAll("bytes") byte[] bytes) throws Exception {
    String encoded = Base64Url.encode(bytes);
    check(encoded.indexOf('=') < 0, "encoder emitted padding", encoded);
    check(Arrays.equals(Base64Url.decode(encoded), bytes), "decode(encode(b)) != b", encoded);
  }

  @Property(tries = 1500)
  void base64urlRoundTripsUnicodeText(@ForAll("unicode") String text) throws Exception {
    String encoded = Base64Url.encode(text);
    check(Base64Url.decodeToString(encoded).equals(text), "decodeToString(encode(s)) != s", text);
    check(
        encoded.equals(Base64Url.encode(text.getBytes(StandardCharsets.UTF_8))),
        "encode(String) is not encode(UTF-8 bytes)",
        text);
  }

  @Property(tries = 500)
  void canonicalJsonParsesBackAndIsIdempotent(@ForAll("canonicalTrees") Map<String, Object> tree)
      throws IOException {
    byte[] canonical = CanonicalJson.canonicalize(tree);
    check(WireContracts.isWellFormedUtf8(canonical), "canonical JSON is not UTF-8", tree);
    Object reparsed = PLAIN.readValue(canonical, Object.class);
    check(
        normalize(reparsed).equals(normalize(tree)),
        "canonical JSON does not read back as the same tree: "
            + new String(canonical, StandardCharsets.UTF_8),
        tree);
    check(membersSorted(reparsed), "object members are not sorted by UTF-16 code units", tree);
    check(
        Arrays.equals(CanonicalJson.canonicalize(reparsed), canonical),
        "canonicalization is not idempotent: "
            + new String(canonical, StandardCharsets.UTF_8)
            + " vs "
            + CanonicalJson.canonicalizeToString(reparsed),
        tree);
    check(
        CanonicalJson.canonicalizeToString(tree)
            .equals(new String(canonical, StandardCharsets.UTF_8)),
        "canonicalizeToString disagrees with canonicalize",
        tree);
  }

  @Property(tries = 2000)
  void canonicalNumbersReadBackExactlyAndAreShortest(@ForAll("numbers") Number number) {
    String text = CanonicalJson.formatNumber(number);
    double expected = number.doubleValue();
    check(Double.parseDouble(text) == expected, "number does not read back: " + text, number);
    check(!text.contains("+") || text.contains("e+"), "stray plus sign: " + text, number);
    // ECMAScript Number::toString picks the fewest significant digits that read back.
    String mantissa = text.replaceFirst("^-", "").replaceFirst("e.*$", "").replace(".", "");
    String digits = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    if (digits.length() > 1 && expected != 0) {
      BigDecimal exact = new BigDecimal(Math.abs(expected));
      int fewer = digits.length() - 1;
      for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
        BigDecimal candidate = exact.round(new MathContext(fewer, mode));
        check(
            candidate.doubleValue() != Math.abs(expected),
            "not the shortest form: " + text + " but " + candidate + " also reads back",
            number);
      }
    }
  }

  /** Numbers compared by their double value (as JSON/JCS sees them); -0 is 0. */
  private static Object normalize(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>();
      c.forEach(v -> out.add(normalize(v)));
      return out;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == 0 ? 0.0 : d;
    }
    return value;
  }

  private static boolean membersSorted(Object value) {
    if (value instanceof Map<?, ?> m) {
      String previous = null;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = (String) e.getKey();
        if (previous != null && previous.compareTo(key) >= 0) {
          return false;
        }
        previous = key;
        if (!membersSorted(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof Collection<?> c) {
      for (Object v : c) {
        if (!membersSorted(v)) {
          return false;
        }
      }
    }
    return true;
  }

  @Provide
  Arbitrary<Challenge> challenges() {
    return FuzzArbitraries.challenges();
  }

  @Provide
  Arbitrary<List<Challenge>> challengeLists() {
    return FuzzArbitraries.challenges().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Credential> credentials() {
    return FuzzArbitraries.credentials();
  }

  @Provide
  Arbitrary<Receipt> receipts() {
    return FuzzArbitraries.receipts();
  }

  @Provide
  Arbitrary<PaymentRequest> requests() {
    return FuzzArbitraries.requests();
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
  }

  @Provide
  Arbitrary<String> unicode() {
    return FuzzArbitraries.unicodeText(0, 200);
  }

  @Provide
  Arbitrary<Number> numbers() {
    return FuzzArbitraries.numbers();
  }

  /** JSON trees with every number type, control characters, escapes and non-BMP text. */
  @Provide
  Arbitrary<Map<String, Object>> canonicalTrees() {
    Arbitrary<Object> leaf =
        Arbitraries.frequencyOf(
                Tuple.of(3, FuzzArbitraries.asObject(FuzzArbitraries.unicodeText(0, 10))),
                Tuple.of(
                    1,
                    FuzzArbitraries.asObject(
                        Arbitraries.strings()
                            .withCharRange('\u0000', '\u001f')
                            .withChars("\"\\/\u007f\u2028\u2029")
                            .ofMaxLength(6))),
                Tuple.of(3, FuzzArbitraries.asObject(FuzzArbitraries.numbers())),
                Tuple.of(1, FuzzArbitraries.asObject(Arbitraries.of(Boolean.TRUE, Boolean.FALSE))))
            .injectNull(0.05);
    Arbitrary<Object> level1 =
        Arbitraries.oneOf(
            leaf,
            leaf.list().ofMaxSize(4).map(l -> l),
            Arbitraries.maps(FuzzArbitraries.unicodeText(0, 6), leaf).ofMaxSize(4).map(m -> m));
    Arbitrary<Object> level2 =
        Arbitraries.oneOf(
            leaf,
            level1.list().ofMaxSize(3).map(l -> l),
            Arbitraries.maps(FuzzArbitraries.unicodeText(0, 6), level1).ofMaxSize(4).map(m -> m));
    return Arbitraries.maps(FuzzArbitraries.unicodeText(0, 8), level2).ofMaxSize(6);
  }
}
