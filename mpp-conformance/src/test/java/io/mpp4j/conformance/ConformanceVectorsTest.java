package io.mpp4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every vector of the cross-SDK conformance suite (the project's copies in {@code
 * src/test/resources/conformance}) through {@link Operations#handle}, the code path the adapter
 * executable uses, and judges them as the suite's runner does: parses exactly, formats by parsing
 * both headers and comparing, ids byte for byte, errors by type.
 */
class ConformanceVectorsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Operations ops = new Operations(false);

  static JsonNode resource(String path) throws IOException {
    try (InputStream in = ConformanceVectorsTest.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return MAPPER.readTree(in);
    }
  }

  private JsonNode call(Operations operations, String op, JsonNode input) {
    ObjectNode request = MAPPER.createObjectNode();
    request.put("schema", 1);
    request.put("op", op);
    request.set("input", input);
    return operations.handle(request);
  }

  private JsonNode ok(String op, JsonNode input) {
    JsonNode answer = call(ops, op, input);
    assertTrue(answer.path("ok").asBoolean(), () -> op + " failed: " + answer);
    return answer.path("value");
  }

  private void fails(String op, JsonNode input, String expectedType) {
    JsonNode answer = call(ops, op, input);
    assertFalse(answer.path("ok").asBoolean(), () -> op + " should fail but gave " + answer);
    assertEquals(expectedType, answer.path("error").path("type").asText(), answer::toString);
  }

  private static ObjectNode header(String value) {
    return MAPPER.createObjectNode().put("header", value);
  }

  private static String wire(JsonNode scenario) {
    JsonNode wire = scenario.path("wire");
    if (wire.isTextual()) {
      return wire.asText();
    }
    return wire.path("prefix").asText()
        + wire.path("repeat").asText().repeat(wire.path("count").asInt())
        + wire.path("suffix").asText("");
  }

  private Stream<DynamicTest> headerVectors(String file, String kind) throws IOException {
    JsonNode doc = resource("conformance/vectors/" + file);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      JsonNode t = s.path("tests");
      String name = s.path("name").asText();
      if (t.has("parse")) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " (parse)",
                () -> {
                  if (t.path("parse").isBoolean()) {
                    assertEquals(s.path("object"), ok(kind + ".parse", header(wire(s))));
                  } else {
                    fails(
                        kind + ".parse",
                        header(wire(s)),
                        t.path("parse").path("error_type").asText());
                  }
                }));
      }
      if (t.has("format")) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " (format)",
                () -> {
                  if (t.path("format").isBoolean()) {
                    String produced =
                        ok(kind + ".format", s.path("object")).path("header").asText();
                    JsonNode mine = ok(kind + ".parse", header(produced));
                    JsonNode theirs = ok(kind + ".parse", header(wire(s)));
                    assertEquals(theirs, mine);
                  } else {
                    fails(
                        kind + ".format",
                        s.path("object"),
                        t.path("format").path("error_type").asText());
                  }
                }));
      }
      if (t.has("roundtrip")) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " (roundtrip)",
                () -> {
                  String produced = ok(kind + ".format", s.path("object")).path("header").asText();
                  assertEquals(s.path("object"), ok(kind + ".parse", header(produced)));
                }));
      }
    }
    assertFalse(tests.isEmpty(), "no scenarios in " + file);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> wwwAuthenticate() throws IOException {
    return headerVectors("www-authenticate.json", "challenge");
  }

  @TestFactory
  Stream<DynamicTest> authorization() throws IOException {
    return headerVectors("authorization.json", "credential");
  }

  @TestFactory
  Stream<DynamicTest> base64url() throws IOException {
    JsonNode doc = resource("conformance/vectors/base64url.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      JsonNode t = s.path("tests");
      String name = s.path("name").asText();
      ObjectNode encoded = MAPPER.createObjectNode().put("text", s.path("encoded").asText());
      ObjectNode decoded = MAPPER.createObjectNode().put("text", s.path("decoded").asText());
      if (t.has("parse")) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " (decode)",
                () -> {
                  if (t.path("parse").isBoolean()) {
                    assertEquals(decoded, ok("base64url.decode", encoded));
                  } else {
                    fails("base64url.decode", encoded, t.path("parse").path("error_type").asText());
                  }
                }));
      }
      if (t.has("format")) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " (encode)", () -> assertEquals(encoded, ok("base64url.encode", decoded))));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> challengeId() throws IOException {
    JsonNode doc = resource("conformance/vectors/challenge-id.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      tests.add(
          DynamicTest.dynamicTest(
              s.path("name").asText(),
              () ->
                  assertEquals(
                      s.path("expected").asText(),
                      ok("challenge.id", s.path("input")).path("id").asText())));
    }
    assertEquals(25, tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> challengeIdWithTheSecretMinimum() throws IOException {
    Operations strict = new Operations(true);
    JsonNode doc = resource("mpp4j/challenge-id-min32.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      tests.add(
          DynamicTest.dynamicTest(
              s.path("name").asText(),
              () -> {
                JsonNode answer = call(strict, "challenge.id", s.path("input"));
                if (s.has("expected_error")) {
                  assertFalse(answer.path("ok").asBoolean(), answer::toString);
                  assertEquals(
                      s.path("expected_error").asText(),
                      answer.path("error").path("type").asText());
                } else {
                  assertEquals(
                      s.path("expected").asText(),
                      answer.path("value").path("id").asText(),
                      answer::toString);
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> serverVerification() throws IOException {
    JsonNode doc = resource("conformance/server-verification/cases.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : doc.path("cases")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.path("name").asText(),
              () -> assertEquals(c.path("expected"), ok("server.verify", c.path("input")))));
    }
    assertEquals(9, tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> examples() throws IOException {
    JsonNode request = resource("conformance/examples/server-verify.request.json");
    JsonNode response = resource("conformance/examples/server-verify.response.json");
    return Stream.of(
        DynamicTest.dynamicTest(
            "server-verify example", () -> assertEquals(response, ops.handle(request))));
  }

  @TestFactory
  Stream<DynamicTest> stripeExternalIdBinding() throws IOException {
    JsonNode doc = resource("mpp4j/stripe-external-id-binding.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      tests.add(
          DynamicTest.dynamicTest(
              s.path("name").asText(),
              () ->
                  assertEquals(
                      s.path("expected"), ok("stripe.external_id_binding", s.path("input")))));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> tempoFeePayerCosign() throws IOException {
    JsonNode doc = resource("mpp4j/tempo-fee-payer-cosign.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode s : doc.path("scenarios")) {
      tests.add(
          DynamicTest.dynamicTest(
              s.path("name").asText(),
              () -> {
                if (s.has("expected")) {
                  assertEquals(s.path("expected"), ok("tempo.fee_payer.cosign", s.path("input")));
                } else {
                  JsonNode answer = call(ops, "tempo.fee_payer.cosign", s.path("input"));
                  assertFalse(answer.path("ok").asBoolean(), answer::toString);
                  assertEquals(
                      s.path("error").path("type").asText(),
                      answer.path("error").path("type").asText(),
                      answer::toString);
                  String message = answer.path("error").path("message").asText();
                  String expected = s.path("error").path("message").asText();
                  assertTrue(message.contains(expected), () -> message + " lacks " + expected);
                }
              }));
    }
    assertEquals(26, tests.size());
    return tests.stream();
  }
}
