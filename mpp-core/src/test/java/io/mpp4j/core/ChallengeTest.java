package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTest {
  private static final String BASIC =
      "Payment id=\"ch_1\", realm=\"api.example.com\", method=\"tempo\", intent=\"charge\","
          + " request=\"eyJhbW91bnQiOiIxMDAwIn0\", expires=\"2025-01-15T12:05:00Z\"";

  @Test
  void parsesTheRequiredAndOptionalParameters() throws Exception {
    Challenge c = Challenge.parse(BASIC);
    assertEquals("ch_1", c.id());
    assertEquals("api.example.com", c.realm());
    assertEquals("tempo", c.method());
    assertEquals(Intent.CHARGE, c.intent());
    assertEquals("1000", c.request().amount());
    assertEquals("2025-01-15T12:05:00Z", c.expires());
    assertEquals(Instant.parse("2025-01-15T12:05:00Z"), c.expiresAt());
    assertNull(c.digest());
  }

  @Test
  void formatsQuotedInCanonicalOrderAndRoundTrips() throws Exception {
    Challenge c =
        Challenge.builder()
            .id("x")
            .realm("r")
            .method("tempo")
            .request(PaymentRequest.builder().amount("5").build())
            .expires("2030-01-01T00:00:00Z")
            .description("say \"hi\" \\ bye")
            .digest("sha-256=:abc=:")
            .opaque("e30")
            .header("Payment-Authorization")
            .build();
    String h = c.toHeaderValue();
    assertEquals(
        "Payment id=\"x\", realm=\"r\", method=\"tempo\", intent=\"charge\","
            + " request=\"eyJhbW91bnQiOiI1In0\", description=\"say \\\"hi\\\" \\\\ bye\","
            + " digest=\"sha-256=:abc=:\", expires=\"2030-01-01T00:00:00Z\", opaque=\"e30\","
            + " header=\"Payment-Authorization\"",
        h);
    assertEquals(c, Challenge.parse(h));
  }

  @Test
  void formatsEveryParameterWhenNothingNeedsEscaping() throws Exception {
    Challenge.Builder b =
        Challenge.builder()
            .id("x")
            .realm("r")
            .method("tempo")
            .request(PaymentRequest.builder().amount("5").build())
            .expires("2030-01-01T00:00:00Z")
            .digest("sha-256=:abc=:")
            .opaque("e30")
            .header("Payment-Authorization");
    String plain = b.description("say hi").build().toHeaderValue();
    assertEquals(
        "Payment id=\"x\", realm=\"r\", method=\"tempo\", intent=\"charge\","
            + " request=\"eyJhbW91bnQiOiI1In0\", description=\"say hi\","
            + " digest=\"sha-256=:abc=:\", expires=\"2030-01-01T00:00:00Z\", opaque=\"e30\","
            + " header=\"Payment-Authorization\"",
        plain);
    // The same layout whether or not a value needs escaping (two code paths).
    assertEquals(
        plain.replace("say hi", "say \\\"hi\\\""),
        b.description("say \"hi\"").build().toHeaderValue());
    Challenge minimal = Challenge.builder().id("i").method("m").build();
    assertEquals(
        "Payment id=\"i\", realm=\"\", method=\"m\", intent=\"charge\", request=\"e30\"",
        minimal.toHeaderValue());
    assertEquals(
        "Payment id=\"i\\\\\", realm=\"\", method=\"m\", intent=\"charge\", request=\"e30\"",
        minimal.withId("i\\").toHeaderValue());
  }

  @Test
  void parsesSeveralChallengesFromOneValueAndFromSeveralValues() throws Exception {
    String other = BASIC.replace("ch_1", "ch_2").replace("tempo", "stripe");
    List<Challenge> one = Challenge.parseAll(BASIC + ", " + other);
    assertEquals(List.of("ch_1", "ch_2"), one.stream().map(Challenge::id).toList());
    assertEquals("stripe", one.get(1).method());
    List<Challenge> many = Challenge.parseAll(List.of(BASIC, other));
    assertEquals(one, many);
    assertThrows(MalformedMessageException.class, () -> Challenge.parse(BASIC + ", " + other));
  }

  @Test
  void skipsOtherSchemesAroundPaymentChallenges() throws Exception {
    List<Challenge> all =
        Challenge.parseAll(
            "Bearer realm=\"x\", error=\"invalid_token\", " + BASIC + ", Basic realm=\"y\"");
    assertEquals(1, all.size());
    assertEquals("ch_1", all.get(0).id());
    assertThrows(
        MalformedMessageException.class, () -> Challenge.parseAll("Bearer realm=\"only\""));
  }

  @Test
  void paymentInsideAQuotedValueIsNotASchemeBoundary() throws Exception {
    Challenge c = Challenge.parse(BASIC.replace("api.example.com", "a, Payment id=\\\"evil\\\""));
    assertEquals("a, Payment id=\"evil\"", c.realm());
  }

  @Test
  void tokenValuesWithoutQuotesAreAccepted() throws Exception {
    Challenge c =
        Challenge.parse("payment id=abc, realm=r, method=tempo, intent=charge, request=e30");
    assertEquals("abc", c.id());
    assertEquals(PaymentRequest.empty(), c.request());
  }

  @Test
  void parameterNamesAreCaseInsensitiveAndDuplicatesRejected() throws Exception {
    assertEquals("ch_1", Challenge.parse(BASIC.replace("id=", "ID=")).id());
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class, () -> Challenge.parse(BASIC + ", Realm=\"other\""));
    assertEquals("duplicate auth-param `realm`", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Payment",
        "Payment ",
        "Payment id=\"\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30\"",
        "Payment id=\"a\", realm=\"r\", method=\"\", intent=\"charge\", request=\"e30\"",
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"bad intent\", request=\"e30\"",
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"W10\"",
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30=\"",
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30\","
            + " header=\"X-Other\"",
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\"e30\r\n\"",
      })
  void rejectsInvalidChallenges(String header) {
    assertThrows(MalformedMessageException.class, () -> Challenge.parse(header));
  }

  @Test
  void missingParameterIsNamed() {
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class,
            () ->
                Challenge.parse("Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\""));
    assertEquals("missing `request` auth-param", e.getMessage());
  }

  @Test
  void unterminatedTrailingExtensionIsIgnoredInLinearTime() throws Exception {
    String header = BASIC + ", fuzz=\"" + "\\".repeat(60_000);
    long start = System.nanoTime();
    Challenge c = Challenge.parse(header);
    assertEquals("ch_1", c.id());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "scanner must be linear");
  }

  @Test
  void oversizedHeadersAreRefused() {
    String huge = BASIC + ", x=\"" + "a".repeat(Challenge.MAX_HEADER_LENGTH) + "\"";
    assertThrows(MalformedMessageException.class, () -> Challenge.parseAll(huge));
    String bigRequest =
        "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\""
            + "e".repeat(PaymentRequest.MAX_ENCODED_LENGTH + 4)
            + "\"";
    assertThrows(MalformedMessageException.class, () -> Challenge.parse(bigRequest));
  }

  @Test
  void formattingRefusesHeaderInjectionAndNonLatin1() {
    Challenge.Builder b = Challenge.builder().id("x").realm("r").method("tempo");
    assertThrows(
        IllegalArgumentException.class,
        () -> b.description("a\r\nSet-Cookie: x").build().toHeaderValue());
    assertThrows(
        IllegalArgumentException.class, () -> b.description("a\nb").build().toHeaderValue());
    assertThrows(
        IllegalArgumentException.class, () -> b.description("coffee ☕").build().toHeaderValue());
    assertEquals(
        "Payment id=\"x\", realm=\"r\", method=\"tempo\", intent=\"charge\", request=\"e30\","
            + " description=\"café\"",
        b.description("café").build().toHeaderValue());
  }

  @Test
  void authorizationHeaderParamIsTheImplicitDefault() throws Exception {
    Challenge c = Challenge.parse(BASIC + ", header=\"Authorization\"");
    assertNull(c.header());
    assertEquals(
        "Payment-Authorization",
        Challenge.parse(BASIC + ", header=\"payment-authorization\"").header());
  }

  @Test
  void valueInvariants() {
    PaymentRequest r = PaymentRequest.empty();
    assertThrows(
        IllegalArgumentException.class,
        () -> new Challenge("", "r", "m", Intent.CHARGE, r, null, null, null, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Challenge("i", "r", "", Intent.CHARGE, r, null, null, null, null, null));
    assertThrows(
        NullPointerException.class,
        () -> new Challenge("i", null, "m", Intent.CHARGE, r, null, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> Intent.of("no spaces"));
  }

  @Test
  void keepsTheReceivedRequestText() throws Exception {
    // A non-canonical (unsorted) request is kept verbatim for echoing and canonicalized for
    // binding.
    String unsorted = Base64Url.encode("{\"b\":\"1\",\"a\":\"2\"}");
    Challenge c =
        Challenge.parse(
            "Payment id=\"a\", realm=\"r\", method=\"m\", intent=\"charge\", request=\""
                + unsorted
                + "\"");
    assertEquals(unsorted, c.request().received());
    assertEquals(Base64Url.encode("{\"a\":\"2\",\"b\":\"1\"}"), c.request().encoded());
    assertEquals(unsorted, c.toEchoMap().get("request"));
    assertEquals(Map.of("a", "2", "b", "1"), c.request().fields());
  }
}
