package io.mpp4j.fuzz;

import static io.mpp4j.fuzz.Fuzz.expectMalformed;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Structured attacks on the JSON inside tokens: deep nesting, duplicate keys and invalid UTF-8.
 * Where the input is certainly invalid the properties demand {@code MalformedMessageException}
 * rather than merely "no other exception".
 */
class AdversarialJsonProperties {
  private static final String VALID_ECHO_PREFIX =
      "{\"challenge\":{\"id\":\"i\",\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\","
          + "\"request\":\"e30\"},\"payload\":";

  /** Where {@link #splice} puts raw bytes into a JSON template. */
  private static final String MARK = "\u0001";

  /** {@code depth} copies of {@code open}, a core value, then the matching closers. */
  static String nested(String open, String core, String close, int depth) {
    return open.repeat(depth) + core + close.repeat(depth);
  }

  @Property(tries = 30, shrinking = ShrinkingMode.OFF)
  void deeplyNestedJsonIsRejectedEverywhere(
      @ForAll @IntRange(min = 33, max = 10_000) int depth, @ForAll boolean arrays) {
    String json = arrays ? nested("[", "1", "]", depth) : nested("{\"a\":", "1", "}", depth);
    String b64 = Base64Url.encode(json);

    // As a whole credential token, receipt and request: not an object, or too deep, or too long.
    expectMalformed("Credential.parseToken", b64, () -> Credential.parseToken(b64));
    WireContracts.checkCredentialParsers("Payment " + b64);
    expectMalformed("Receipt.parse", b64, () -> Receipt.parse(b64));
    expectMalformed("PaymentRequest.parse", b64, () -> PaymentRequest.parse(b64));
    String header =
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"" + b64 + "\"";
    expectMalformed("Challenge.parse", header, () -> Challenge.parse(header));
    WireContracts.checkAll(header);

    // The nesting inside an otherwise valid credential (as payload), and inside a valid
    // credential's echoed request.
    String inPayload = Base64Url.encode(VALID_ECHO_PREFIX + "{\"x\":" + json + "}}");
    expectMalformed("Credential.parseToken", inPayload, () -> Credential.parseToken(inPayload));
    String inRequest =
        Base64Url.encode(VALID_ECHO_PREFIX.replace("\"e30\"", "\"" + b64 + "\"") + "{}}");
    expectMalformed("Credential.parseToken", inRequest, () -> Credential.parseToken(inRequest));
  }

  @Property(tries = 100)
  void nestingUpToTheLimitIsAcceptedOrRejectedCleanly(
      @ForAll @IntRange(min = 1, max = 40) int depth) {
    String object = nested("{\"a\":", "1", "}", depth);
    String b64 = Base64Url.encode(object);
    WireContracts.checkTokenParsers(b64);
    String token = Base64Url.encode(VALID_ECHO_PREFIX + object + "}");
    WireContracts.checkCredentialParsers("Payment " + token);
  }

  @Property(tries = 600)
  void duplicateKeysAreRejected(
      @ForAll("credentialTrees") Map<String, Object> tree, @ForAll int objectChoice) {
    String json = DuplicatingWriter.write(tree, objectChoice);
    String token = Base64Url.encode(json);
    expectMalformed("Credential.parseToken", token, () -> Credential.parseToken(token));
    expectMalformed("Credential.parse", token, () -> Credential.parse("Payment " + token));
  }

  @Property(tries = 400)
  void duplicateKeysInReceiptsAndRequestsAreRejected(
      @ForAll("receipts") Receipt receipt,
      @ForAll("requests") PaymentRequest request,
      @ForAll int objectChoice) {
    String receiptToken =
        Base64Url.encode(DuplicatingWriter.write(receipt.toJsonMap(), objectChoice));
    expectMalformed("Receipt.parse", receiptToken, () -> Receipt.parse(receiptToken));
    if (!request.fields().isEmpty()) {
      String requestToken =
          Base64Url.encode(DuplicatingWriter.write(request.fields(), objectChoice));
      expectMalformed(
          "PaymentRequest.parse", requestToken, () -> PaymentRequest.parse(requestToken));
      String header =
          "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\""
              + requestToken
              + "\"";
      expectMalformed("Challenge.parse", header, () -> Challenge.parse(header));
    }
  }

  @Property(tries = 600)
  void duplicateAuthParamsAreRejected(
      @ForAll("challenges") Challenge challenge,
      @ForAll("paramNames") String name,
      @ForAll boolean upperCase) {
    String header = challenge.toHeaderValue();
    String dup = upperCase ? name.toUpperCase(Locale.ROOT) : name;
    // Added twice (differing only in case, perhaps): a duplicate whether or not it was present.
    String input = header + ", " + name + "=\"x\", " + dup + "=\"dup\"";
    expectMalformed("Challenge.parse", input, () -> Challenge.parse(input));
    expectMalformed("Challenge.parseAll", input, () -> Challenge.parseAll(input));
  }

  @Property(tries = 800)
  void credentialMembersOfAnyJsonType(
      @ForAll("echoMembers") List<String> echo,
      @ForAll("jsonSnippets") String payload,
      @ForAll("jsonSnippets") String source,
      @ForAll boolean withSource) {
    String json =
        "{\"challenge\":{"
            + String.join(",", echo)
            + "},\"payload\":"
            + payload
            + (withSource ? ",\"source\":" + source : "")
            + "}";
    String token = Base64Url.encode(json);
    Fuzz.Outcome<Credential> parsed =
        Fuzz.parseOrMalformed("Credential.parseToken", json, () -> Credential.parseToken(token));
    if (parsed.ok()) {
      Credential c = parsed.value();
      WireContracts.check(!c.challenge().id().isEmpty(), "empty echoed id accepted", json);
      WireContracts.check(!c.challenge().method().isEmpty(), "empty echoed method", json);
      WireContracts.check(
          c.source() == null || c.source() instanceof String || c.source() instanceof Map,
          "source of another JSON type accepted",
          json);
    }
    WireContracts.checkCredentialParsers("Payment " + token);
  }

  @Property(tries = 600)
  void receiptMembersOfAnyJsonType(@ForAll("receiptMembers") List<String> members) {
    String json = "{" + String.join(",", members) + "}";
    String token = Base64Url.encode(json);
    Fuzz.Outcome<Receipt> parsed =
        Fuzz.parseOrMalformed("Receipt.parse", json, () -> Receipt.parse(token));
    if (parsed.ok()) {
      Receipt r = parsed.value();
      WireContracts.check(
          !r.status().isEmpty() && !r.reference().isEmpty() && !r.timestamp().isEmpty(),
          "receipt with an empty core field accepted",
          json);
    }
    WireContracts.checkTokenParsers(token);
  }

  @Provide
  Arbitrary<String> jsonSnippets() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "\"abc\"",
            "\"\"",
            "1",
            "-0",
            "1e400",
            "-1e400",
            "1.5e-400",
            "123456789012345678901234567890",
            "null",
            "true",
            "false",
            "{}",
            "[]",
            "[1,2]",
            "{\"a\":1}",
            "{\"a\":1e400}",
            "{\"a\":\"\\ud800\"}",
            "{\"\\udc00\":1}",
            "\"\\ud800\"",
            "\"\\udbff\\udfff\"",
            "\"e30\"",
            "\"W10\"",
            "\"bnVsbA\"",
            "\"charge\"",
            "\"tempo\"",
            "\"Payment-Authorization\"",
            "\"authorization\"",
            "\"x\\u0000y\"",
            "\"2025-01-15T12:05:00Z\"",
            "\"+999999999-12-31T23:59:59-18:00\"",
            "\"2025-02-30T00:00:00Z\"",
            "{\"b\":[{}]}"),
        FuzzArbitraries.requests().map(r -> "\"" + r.encoded() + "\""),
        FuzzArbitraries.unicodeText(0, 10)
            .map(t -> new String(Json.write(t), StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<List<String>> echoMembers() {
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
            "extra");
    return Combinators.combine(names, jsonSnippets())
        .as((n, v) -> "\"" + n + "\":" + v)
        .list()
        .ofMaxSize(11)
        .uniqueElements(m -> m.substring(0, m.indexOf(':')));
  }

  @Provide
  Arbitrary<List<String>> receiptMembers() {
    Arbitrary<String> names =
        Arbitraries.of(
            "status", "method", "timestamp", "reference", "externalId", "challengeId", "x");
    Arbitrary<String> timestamps =
        Arbitraries.strings()
            .withChars("0123456789-:TZtz+.,e ")
            .ofMaxLength(40)
            .map(t -> new String(Json.write(t), StandardCharsets.UTF_8));
    return Combinators.combine(names, Arbitraries.oneOf(jsonSnippets(), timestamps))
        .as((n, v) -> "\"" + n + "\":" + v)
        .list()
        .ofMaxSize(7)
        .uniqueElements(m -> m.substring(0, m.indexOf(':')));
  }

  @Property(tries = 600)
  void invalidUtf8IsRejectedByDecodeToString(@ForAll("invalidUtf8") byte[] bytes) {
    String b64 = Base64Url.encode(bytes);
    expectMalformed("Base64Url.decodeToString", b64, () -> Base64Url.decodeToString(b64));
    WireContracts.checkTokenParsers(b64);
    WireContracts.checkCredentialParsers("Payment " + b64);
  }

  @Property(tries = 600)
  void invalidUtf8InsideJsonStringsParsesOrIsMalformed(
      @ForAll("invalidUtf8Sequences") byte[] bad, @ForAll boolean inEcho) {
    // The bad bytes sit inside a string value of otherwise valid documents (MARK is replaced).
    String credentialTemplate =
        inEcho
            ? VALID_ECHO_PREFIX.replace("\"r\"", "\"r" + MARK + "\"") + "{\"x\":\"ok\"}}"
            : VALID_ECHO_PREFIX + "{\"x\":\"" + MARK + "\"}}";
    String token = Base64Url.encode(splice(credentialTemplate, bad));
    WireContracts.checkCredentialParsers("Payment " + token);
    String receiptTemplate =
        "{\"status\":\"success\",\"timestamp\":\"2025-01-15T12:05:00Z\",\"reference\":\""
            + MARK
            + "\"}";
    WireContracts.checkTokenParsers(Base64Url.encode(splice(receiptTemplate, bad)));
    WireContracts.checkTokenParsers(Base64Url.encode(splice("{\"amount\":\"" + MARK + "\"}", bad)));
  }

  /** Replaces the {@link #MARK} in {@code template} with the raw bytes {@code bad}. */
  private static byte[] splice(String template, byte[] bad) {
    int marker = template.indexOf(MARK);
    byte[] head = template.substring(0, marker).getBytes(StandardCharsets.UTF_8);
    byte[] tail = template.substring(marker + 1).getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bad, 0, out, head.length, bad.length);
    System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
    return out;
  }

  @Provide
  Arbitrary<Map<String, Object>> credentialTrees() {
    return Arbitraries.oneOf(
            FuzzArbitraries.credentials(),
            FuzzArbitraries.challenges().map(c -> Credential.of(c, Map.of("type", "hash"), null)))
        .map(Credential::toJsonMap);
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
  Arbitrary<Challenge> challenges() {
    return FuzzArbitraries.challenges();
  }

  @Provide
  Arbitrary<String> paramNames() {
    return Arbitraries.of(
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
        "x-extension");
  }

  /** Classic invalid UTF-8: overlongs, surrogates, out-of-range, stray and truncated bytes. */
  @Provide
  Arbitrary<byte[]> invalidUtf8Sequences() {
    return Arbitraries.of(
        new byte[] {(byte) 0xc0, (byte) 0x80},
        new byte[] {(byte) 0xc0, (byte) 0xa2},
        new byte[] {(byte) 0xc1, (byte) 0xbf},
        new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xa2},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        new byte[] {(byte) 0xed, (byte) 0xbf, (byte) 0xbf},
        new byte[] {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xa2},
        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xff},
        new byte[] {(byte) 0xfe},
        new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xbf},
        new byte[] {(byte) 0xe2, (byte) 0x82},
        new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
        new byte[] {(byte) 0xc3});
  }

  /** Arbitrary bytes with at least one invalid UTF-8 sequence spliced in. */
  @Provide
  Arbitrary<byte[]> invalidUtf8() {
    Arbitrary<byte[]> prefix = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> suffix =
        Arbitraries.strings().ascii().ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Combinators.combine(prefix, invalidUtf8Sequences(), suffix)
        .as(
            (p, bad, s) -> {
              byte[] out = new byte[p.length + bad.length + s.length];
              System.arraycopy(p, 0, out, 0, p.length);
              System.arraycopy(bad, 0, out, p.length, bad.length);
              System.arraycopy(s, 0, out, p.length + bad.length, s.length);
              return out;
            })
        .filter(b -> !WireContracts.isWellFormedUtf8(b));
  }

  /**
   * Writes a JSON tree like Jackson would, except that the {@code choice}-th non-empty object (in
   * pre-order, modulo their count) repeats its first key at the end.
   */
  static final class DuplicatingWriter {
    private final int target;
    private int seen;
    private final StringBuilder sb = new StringBuilder(256);

    private DuplicatingWriter(int target) {
      this.target = target;
    }

    static String write(Map<String, ?> tree, int choice) {
      int objects = countObjects(tree);
      DuplicatingWriter w = new DuplicatingWriter(Math.floorMod(choice, objects));
      w.value(tree);
      return w.sb.toString();
    }

    private static int countObjects(Object value) {
      int n = 0;
      if (value instanceof Map<?, ?> m) {
        n += m.isEmpty() ? 0 : 1;
        for (Object v : m.values()) {
          n += countObjects(v);
        }
      } else if (value instanceof List<?> l) {
        for (Object v : l) {
          n += countObjects(v);
        }
      }
      return n;
    }

    private void value(Object value) {
      if (value instanceof Map<?, ?> m) {
        boolean duplicate = !m.isEmpty() && seen++ == target;
        sb.append('{');
        List<String> keys = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          keys.add((String) e.getKey());
        }
        for (int i = 0; i < keys.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(new String(Json.write(keys.get(i)), StandardCharsets.UTF_8)).append(':');
          value(m.get(keys.get(i)));
        }
        if (duplicate) {
          sb.append(',')
              .append(new String(Json.write(keys.get(0)), StandardCharsets.UTF_8))
              .append(":\"duplicate\"");
        }
        sb.append('}');
      } else if (value instanceof List<?> l) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          value(l.get(i));
        }
        sb.append(']');
      } else {
        sb.append(new String(Json.write(value), StandardCharsets.UTF_8));
      }
    }
  }
}
