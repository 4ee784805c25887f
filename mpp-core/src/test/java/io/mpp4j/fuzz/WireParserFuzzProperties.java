package io.mpp4j.fuzz;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * Every wire parser, on arbitrary and adversarial text, returns a value or throws exactly {@code
 * MalformedMessageException} (and the lenient ones never throw), without hanging. Each try feeds
 * one input to all parsers through {@link WireContracts#checkAll}.
 */
class WireParserFuzzProperties {

  @Property(tries = 2000)
  void arbitraryStrings(@ForAll("arbitrary") String input) {
    WireContracts.checkAll(input);
  }

  @Property(tries = 1500)
  void grammarStrings(@ForAll("grammar") String input) {
    WireContracts.checkAll(input);
  }

  @Property(tries = 1000)
  void paymentPrefixedGrammarStrings(@ForAll("grammar") String rest) {
    WireContracts.checkAll("Payment " + rest);
    WireContracts.checkAll("Bearer abc, Payment " + rest);
  }

  @Property(tries = 1000)
  void nearlyValidChallenges(@ForAll("nearlyValidChallenges") String header) {
    WireContracts.checkAll(header);
  }

  @Property(tries = 800)
  void mutatedValidWireStrings(
      @ForAll("validWireStrings") String valid, @ForAll("edits") List<FuzzArbitraries.Edit> edits) {
    WireContracts.checkAll(FuzzArbitraries.mutate(valid, edits));
  }

  @Property(tries = 700)
  void byteMutatedCredentialJson(
      @ForAll("credentials") Credential credential,
      @ForAll("edits") List<FuzzArbitraries.Edit> edits) {
    byte[] json = FuzzArbitraries.mutateBytes(FuzzArbitraries.credentialJson(credential), edits);
    String token = Base64Url.encode(json);
    WireContracts.checkCredentialParsers("Payment " + token);
    WireContracts.checkTokenParsers(token);
  }

  @Property(tries = 500)
  void byteMutatedReceiptAndRequestJson(
      @ForAll("receipts") Receipt receipt,
      @ForAll("requests") PaymentRequest request,
      @ForAll("edits") List<FuzzArbitraries.Edit> edits) {
    byte[] receiptJson = FuzzArbitraries.mutateBytes(Json.write(receipt.toJsonMap()), edits);
    WireContracts.checkTokenParsers(Base64Url.encode(receiptJson));
    byte[] requestJson =
        FuzzArbitraries.mutateBytes(
            request.canonicalJson().getBytes(StandardCharsets.UTF_8), edits);
    String encoded = Base64Url.encode(requestJson);
    WireContracts.checkTokenParsers(encoded);
    WireContracts.checkChallengeParsers(
        "Payment id=\"x\", realm=\"r\", method=\"m\", intent=\"charge\", request=\""
            + encoded
            + "\"");
  }

  @Property(tries = 500)
  void base64urlOfArbitraryJsonLikeBytes(@ForAll("jsonLikeBytes") byte[] bytes) {
    String token = Base64Url.encode(bytes);
    WireContracts.checkTokenParsers(token);
    WireContracts.checkCredentialParsers("Payment " + token);
  }

  @Property(tries = 40, shrinking = ShrinkingMode.OFF)
  void hugeInputs(@ForAll("huge") String input) {
    WireContracts.checkAll(input);
  }

  @Provide
  Arbitrary<String> arbitrary() {
    return FuzzArbitraries.arbitraryStrings();
  }

  @Provide
  Arbitrary<String> grammar() {
    return FuzzArbitraries.grammarStrings();
  }

  @Provide
  Arbitrary<String> validWireStrings() {
    return FuzzArbitraries.validWireStrings();
  }

  @Provide
  Arbitrary<List<FuzzArbitraries.Edit>> edits() {
    return FuzzArbitraries.edits();
  }

  @Provide
  Arbitrary<Credential> credentials() {
    return Arbitraries.oneOf(
        FuzzArbitraries.credentials(),
        FuzzArbitraries.challenges().map(c -> Credential.of(c, Map.of("type", "hash"), null)));
  }

  @Provide
  Arbitrary<Receipt> receipts() {
    return FuzzArbitraries.receipts();
  }

  @Provide
  Arbitrary<PaymentRequest> requests() {
    return FuzzArbitraries.requests();
  }

  /** Random bytes biased toward JSON punctuation and invalid UTF-8. */
  @Provide
  Arbitrary<byte[]> jsonLikeBytes() {
    Arbitrary<Byte> b =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.of(
                    (byte) '{',
                    (byte) '}',
                    (byte) '[',
                    (byte) ']',
                    (byte) '"',
                    (byte) ':',
                    (byte) ',',
                    (byte) '\\',
                    (byte) 'u',
                    (byte) '0',
                    (byte) '1',
                    (byte) 'e',
                    (byte) '-',
                    (byte) '.',
                    (byte) ' ',
                    (byte) 'a')),
            Tuple.of(2, Arbitraries.bytes()),
            Tuple.of(
                1,
                Arbitraries.of(
                    (byte) 0xc0,
                    (byte) 0x80,
                    (byte) 0xed,
                    (byte) 0xa0,
                    (byte) 0xf4,
                    (byte) 0x90,
                    (byte) 0xff,
                    (byte) 0xfe,
                    (byte) 0xef,
                    (byte) 0xbb,
                    (byte) 0xbf,
                    (byte) 0x00)));
    return b.list()
        .ofMaxSize(200)
        .map(
            list -> {
              byte[] out = new byte[list.size()];
              for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
              }
              return out;
            });
  }

  /**
   * Challenge-shaped headers: the required params in random order, each with a value that is
   * quoted, bare, unterminated, empty or drawn from the grammar, and optional extra params.
   */
  @Provide
  Arbitrary<String> nearlyValidChallenges() {
    Arbitrary<String> names =
        Arbitraries.of(
            "id",
            "realm",
            "method",
            "intent",
            "request",
            "expires",
            "digest",
            "description",
            "opaque",
            "header",
            "ID",
            "Request",
            "x",
            "");
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of("\"abc\"", "\"tempo\"", "\"charge\"", "\"e30\"", "e30")),
            Tuple.of(1, Arbitraries.of("\"", "\"\\", "\"a\\\"b\"", "\"\"", "", "=", "\"W10\"")),
            Tuple.of(1, FuzzArbitraries.requests().map(r -> "\"" + r.encoded() + "\"")),
            Tuple.of(
                1,
                FuzzArbitraries.grammarStrings()
                    .map(s -> s.length() > 20 ? s.substring(0, 20) : s)));
    Arbitrary<String> param = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
    Arbitrary<String> separator = Arbitraries.of(", ", ",", " ,", " , ", ",,", " ", "\t,\t");
    return Combinators.combine(
            Arbitraries.of("Payment ", "payment ", "PAYMENT  ", "Payment\t", "Bearer x, Payment "),
            Combinators.combine(param, separator).as((p, s) -> p + s).list().ofMaxSize(12))
        .as((scheme, params) -> scheme + String.join("", params));
  }

  /** 100k to 1M characters: repeated grammar pieces, base64url runs and raw noise. */
  @Provide
  Arbitrary<String> huge() {
    Arbitrary<String> seed =
        Arbitraries.oneOf(
            FuzzArbitraries.grammarStrings().filter(s -> !s.isEmpty()),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(16),
            Arbitraries.strings()
                .withChars(FuzzArbitraries.BASE64URL_CHARS)
                .ofMinLength(1)
                .ofMaxLength(16),
            Arbitraries.of(
                "\\", "\"", ",", " ", "=", "a=", "Payment ", "Payment, ", "[", "{\"a\":"));
    Arbitrary<String> prefix =
        Arbitraries.of(
            "",
            "Payment ",
            "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"",
            "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30\","
                + " x=\"");
    return Combinators.combine(prefix, seed, Arbitraries.integers().between(100_000, 1_000_000))
        .as(
            (p, s, length) -> {
              StringBuilder sb = new StringBuilder(length + p.length());
              sb.append(p);
              while (sb.length() < length) {
                sb.append(s);
              }
              sb.setLength(length);
              return sb.toString();
            });
  }
}
