package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpp4j.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link Credential#parseToken} reads documents of the usual shape without building maps and hands
 * every other document to the general parser ({@link Credential#parseGeneral}). Over documents of
 * the usual shape and near misses (duplicate, unknown or escaped names, values of other types,
 * missing members, odd whitespace, broken syntax), both must give the same credential or the same
 * error message.
 */
class CredentialDecodingProperties {
  private static final String[] ECHO_NAMES = {
    "id",
    "realm",
    "method",
    "intent",
    "request",
    "expires",
    "digest",
    "description",
    "opaque",
    "header"
  };

  @Property(tries = 3000)
  void fastAndGeneralDecodingAgree(@ForAll("documents") String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String token = Base64Url.encode(bytes);
    Object fast = outcome(() -> Credential.parseToken(token));
    Object general = outcome(() -> Credential.parseGeneral(bytes, token));
    assertEquals(general, fast, json);
    boolean read = Json.credentialFields(bytes) != null;
    boolean accepted = fast instanceof List<?> l && l.get(0) instanceof Challenge;
    Statistics.label("path")
        .collect(read ? (accepted ? "read and accepted" : "read, then general") : "general");
    Statistics.label("path")
        .coverage(
            c -> {
              // Both paths must really be exercised, or agreement would prove nothing.
              c.check("read and accepted").percentage(p -> p > 5);
              c.check("read, then general").percentage(p -> p > 5);
              c.check("general").percentage(p -> p > 5);
            });
  }

  @Property(tries = 500)
  void fastAndGeneralDecodingAgreeOnTruncationsAndSingleByteChanges(
      @ForAll("documents") String json, @ForAll("cuts") Tuple.Tuple2<Integer, Integer> cut) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    int at = Math.floorMod(cut.get1(), bytes.length + 1);
    byte[] mutated;
    if (cut.get2() < 0) {
      mutated = java.util.Arrays.copyOf(bytes, at);
    } else {
      mutated = bytes.clone();
      if (at < mutated.length) {
        mutated[at] = (byte) (int) cut.get2();
      }
    }
    String token = Base64Url.encode(mutated);
    Object fast = outcome(() -> Credential.parseToken(token));
    Object general = outcome(() -> Credential.parseGeneral(mutated, token));
    assertEquals(general, fast, new String(mutated, StandardCharsets.ISO_8859_1));
  }

  private interface Parse {
    Credential run() throws MalformedMessageException;
  }

  /** The parts of a result that must agree, or the error's class and message chain. */
  private static Object outcome(Parse parse) {
    try {
      Credential c = parse.run();
      return List.of(
          c.challenge(),
          c.challenge().request().received(),
          c.payload(),
          String.valueOf(c.source()),
          c.encoded());
    } catch (MalformedMessageException e) {
      List<String> chain = new ArrayList<>();
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.add(t.getClass().getName() + ": " + t.getMessage());
      }
      return chain;
    }
  }

  @Provide
  Arbitrary<Tuple.Tuple2<Integer, Integer>> cuts() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2000), Arbitraries.integers().between(-1, 255))
        .as(Tuple::of);
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> ws = Arbitraries.of("", "", "", " ", "\n\t ", "\r");
    Arbitrary<String> echoMember =
        Combinators.combine(echoNames(), echoValues(), ws, ws)
            .as((n, v, a, b) -> a + n + a + ":" + b + v + b);
    Arbitrary<List<String>> echoMembers =
        Arbitraries.oneOf(
            usualEcho(),
            usualEcho(),
            usualEcho(),
            usualEcho(),
            usualEcho(),
            usualEcho(),
            echoMember.list().ofMaxSize(12),
            Combinators.combine(usualEcho(), echoMember)
                .as(
                    (usual, extra) -> {
                      List<String> all = new ArrayList<>(usual);
                      all.add(extra);
                      return all;
                    }));
    Arbitrary<String> challenge =
        Combinators.combine(echoMembers, Arbitraries.randoms())
            .as(
                (members, random) -> {
                  List<String> shuffled = new ArrayList<>(members);
                  Collections.shuffle(shuffled, random);
                  return "{" + String.join(",", shuffled) + "}";
                });
    Arbitrary<String> challengeValue =
        Arbitraries.frequencyOf(
            Tuple.of(12, challenge), Tuple.of(1, Arbitraries.of("[]", "null", "\"x\"")));
    Arbitrary<String> rootName =
        Arbitraries.of(
            "\"challenge\"",
            "\"payload\"",
            "\"source\"",
            "\"extra\"",
            "\"\\u0073ource\"",
            "\"pay\\u006coad\"");
    Arbitrary<String> rootMember =
        Combinators.combine(rootName, Arbitraries.oneOf(challengeValue, jsonValues()), ws)
            .as((n, v, a) -> n + a + ":" + a + v);
    Arbitrary<List<String>> usualRoot =
        Combinators.combine(challengeValue, payloads(), sources(), ws)
            .as(
                (c, p, s, a) -> {
                  List<String> members = new ArrayList<>();
                  members.add("\"challenge\"" + a + ":" + a + c);
                  members.add("\"payload\":" + p);
                  if (!s.isEmpty()) {
                    members.add("\"source\":" + a + s);
                  }
                  return members;
                });
    Arbitrary<List<String>> rootMembers =
        Arbitraries.oneOf(
            usualRoot,
            usualRoot,
            usualRoot,
            usualRoot,
            usualRoot,
            usualRoot,
            rootMember.list().ofMaxSize(5),
            Combinators.combine(usualRoot, rootMember)
                .as(
                    (usual, extra) -> {
                      List<String> all = new ArrayList<>(usual);
                      all.add(extra);
                      return all;
                    }));
    return Combinators.combine(
            rootMembers, Arbitraries.randoms(), ws, ws, Arbitraries.integers().between(0, 19))
        .as(
            (members, random, lead, trail, odd) -> {
              List<String> shuffled = new ArrayList<>(members);
              Collections.shuffle(shuffled, random);
              String doc = lead + "{" + String.join("," + lead, shuffled) + trail + "}" + trail;
              return switch (odd) {
                case 0 -> doc + "x";
                case 1 -> doc.replaceFirst(",", ",,");
                case 2 -> "[" + doc + "]";
                default -> doc;
              };
            });
  }

  /** Mostly {@code usual}, sometimes one of {@code odd}. */
  private static Arbitrary<String> mostly(String usual, String... odd) {
    return Arbitraries.frequencyOf(
        Tuple.of(4 * odd.length, Arbitraries.just(usual)),
        Tuple.of(odd.length, Arbitraries.of(odd)));
  }

  private static Arbitrary<List<String>> usualEcho() {
    return Combinators.combine(
            mostly("\"vD3sNvIq6jHhE-4NtlNmVGPp9wZ8EG5_aR6ZSzvZ5Ws\"", "\"\"", "\"ch_1\""),
            mostly("\"api.example.com\"", "\"\"", "\"r\\u00e9alm\"", "\"caf\u00e9\""),
            mostly("\"tempo\"", "\"stripe\"", "\"\"", "\"te\\\"mpo\""),
            mostly("\"charge\"", "\"session\"", "\"x y\"", "\"\""),
            requests(),
            Arbitraries.of("", ",\"expires\":\"2030-01-01T00:00:00Z\"", ",\"expires\":\"soon\\n\""),
            Arbitraries.of(
                "",
                ",\"opaque\":\"eyJfbXBwNGpfbiI6IngifQ\"",
                ",\"opaque\":{\"b\":1,\"a\":\"x\"}",
                ",\"digest\":\"sha-256=:abc:\"",
                ",\"description\":\"Pay \\u2603\"",
                ",\"header\":\"Payment-Authorization\"",
                ",\"header\":\"authorization\"",
                ",\"header\":\"X-Other\""))
        .as(
            (id, realm, method, intent, request, expires, extra) ->
                List.of(
                    "\"id\":" + id,
                    "\"realm\":" + realm,
                    "\"method\":" + method,
                    "\"intent\":" + intent,
                    "\"request\":" + request + expires + extra));
  }

  private static Arbitrary<String> requests() {
    String usual = PaymentRequest.builder().amount("10000").currency("usd").build().encoded();
    return mostly(
        "\"" + usual + "\"",
        "\"e30\"",
        "\"\"",
        "\"W10\"",
        "\"e30=\"",
        "\"e3\\u0030\"",
        "\"not base64!\"",
        "\"eyJhIjoxLCJhIjoyfQ\"");
  }

  private static Arbitrary<String> echoNames() {
    List<String> names = new ArrayList<>();
    for (String n : ECHO_NAMES) {
      names.add("\"" + n + "\"");
    }
    names.add("\"extra\"");
    names.add("\"\\u0069d\"");
    names.add("\"ID\"");
    return Arbitraries.of(names);
  }

  private static Arbitrary<String> echoValues() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "\"x\"",
            "\"\"",
            "\"charge\"",
            "\"e30\"",
            "\"a\\\\b\"",
            "\"\\ud800\"",
            "\"\u20ac\"",
            "\"Payment-Authorization\""),
        jsonValues());
  }

  private static Arbitrary<String> payloads() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            6,
            mostly(
                "{\"type\":\"hash\",\"hash\":\"0xabc\"}",
                "{}",
                "{ \"a\" : [1, 2.5, -0, 1e2, true, null, {\"b\":\"\\u00e9\"}] }",
                "{\"a\":1,\"a\":2}",
                "{\"deep\":" + "[".repeat(31) + "]".repeat(31) + "}",
                "{\"deep\":" + "[".repeat(32) + "]".repeat(32) + "}",
                "{\"n\":123456789012345678901234567890}")),
        Tuple.of(1, jsonValues()));
  }

  private static Arbitrary<String> sources() {
    return mostly("", "\"did:pkh:eip155:1:0x1\"", "{\"a\":1}", "null", "1", "[]", "\"\\ud800\"");
  }

  private static Arbitrary<String> jsonValues() {
    return Arbitraries.of(
        "1", "-1.5", "true", "false", "null", "[]", "{}", "[\"x\"]", "\"s\"", "{\"k\":\"v\"}");
  }
}
