package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialTest {
  private static final Challenge CHALLENGE =
      Challenge.builder()
          .id("ch_1")
          .realm("api.example.com")
          .method("tempo")
          .request(PaymentRequest.builder().amount("1000").currency("usd").build())
          .expires("2030-01-01T00:00:00Z")
          .build();

  private static final Credential CREDENTIAL =
      Credential.of(CHALLENGE, Map.of("type", "hash", "hash", "0xabc"), "did:pkh:eip155:1:0x1");

  @Test
  void roundTripsThroughTheAuthorizationHeader() throws Exception {
    String header = CREDENTIAL.toHeaderValue();
    assertTrue(header.startsWith("Payment "));
    Credential parsed = Credential.parse(header);
    assertEquals(CHALLENGE, parsed.challenge());
    assertEquals(CREDENTIAL.payload(), parsed.payload());
    assertEquals("did:pkh:eip155:1:0x1", parsed.sourceString());
    assertEquals(header.substring(8), parsed.encoded());
    assertEquals(CREDENTIAL, parsed);
  }

  @Test
  void parsesATokenInPlaceAsItWouldTheCopiedToken() throws Exception {
    String header = CREDENTIAL.toHeaderValue();
    Credential inPlace = Credential.parseToken(header, 8);
    Credential copied = Credential.parseToken(header.substring(8));
    assertEquals(copied, inPlace);
    assertEquals(copied.hashCode(), inPlace.hashCode());
    assertEquals(CREDENTIAL.encoded(), inPlace.encoded());
    assertEquals(header, inPlace.toHeaderValue());
    assertEquals(CREDENTIAL.challenge(), inPlace.challenge());
    // Errors count offsets from the token's start, as for the copied token.
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class, () -> Credential.parseToken("Payment e!J9", 8));
    assertEquals(
        "invalid base64url: character outside the URL-safe alphabet at offset 1",
        e.getCause().getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> Credential.parseToken("abc", 4));
  }

  @Test
  void aKnownRequestStandsForTheSameEchoedText() throws Exception {
    String header = CREDENTIAL.toHeaderValue();
    PaymentRequest offered = CHALLENGE.request();
    PaymentRequest other = PaymentRequest.builder().amount("1000").currency("eur").build();
    Credential withKnown = Credential.parseToken(header, 8, List.of(other, offered));
    Credential without = Credential.parseToken(header, 8);
    assertSame(offered, withKnown.challenge().request());
    assertEquals(without, withKnown);
    assertEquals(without.challenge(), withKnown.challenge());
    // A known request with other text is not taken for the echo.
    Credential unmatched = Credential.parseToken(header, 8, List.of(other));
    assertNotSame(other, unmatched.challenge().request());
    assertEquals(offered, unmatched.challenge().request());
    assertEquals(without.challenge(), unmatched.challenge());
  }

  @Test
  void extractsThePaymentSchemeAmongOthers() throws Exception {
    String token = CREDENTIAL.encoded();
    assertEquals(CREDENTIAL, Credential.parse("Bearer abc.def, Payment " + token));
    assertEquals(CREDENTIAL, Credential.parse("payment " + token + ", Basic dXNlcjpwYXNz"));
    assertEquals(
        CREDENTIAL, Credential.parse("Digest username=\"a, Payment x\", Payment " + token));
    assertEquals(1, Credential.countIn("Bearer x, Payment " + token));
    assertEquals(0, Credential.countIn("Bearer x"));
    assertEquals(2, Credential.countIn("Payment " + token + ", Payment " + token));
    assertThrows(
        MalformedMessageException.class,
        () -> Credential.parse("Payment " + token + ", Payment " + token));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bearer eyJjaGFsbGVuZ2UiOnt9fQ",
        "Payment",
        "Payment not-valid!!!",
        "Payment W10",
        "Payment e30",
        "Payment abc def",
        "Payment id=\"x\"",
      })
  void rejectsMalformedHeaders(String header) {
    assertThrows(MalformedMessageException.class, () -> Credential.parse(header));
  }

  private static String token(String json) {
    return Base64Url.encode(json);
  }

  @Test
  void namesTheMissingOrWrongField() {
    assertMessage("credential has no `challenge`", "{\"payload\":{}}");
    assertMessage("credential has no `payload`", "{\"challenge\":" + echo("\"id\":\"a\",") + "}");
    assertMessage(
        "credential has no `challenge.id`",
        "{\"challenge\":{\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\",\"request\":\"e30\"},\"payload\":{}}");
    assertMessage(
        "credential `challenge.id` is empty",
        "{\"challenge\":" + echo("\"id\":\"\",") + ",\"payload\":{}}");
    assertMessage(
        "credential `payload` is not an object",
        "{\"challenge\":" + echo("\"id\":\"a\",") + ",\"payload\":[]}");
    assertMessage(
        "credential `challenge.request` is not a string",
        "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\",\"request\":{}},\"payload\":{}}");
    assertMessage(
        "credential is not valid JSON",
        "{\"challenge\":" + echo("\"id\":\"a\",") + ",\"payload\":{},\"payload\":{}}");
  }

  private static String echo(String idPart) {
    return "{"
        + idPart
        + "\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\",\"request\":\"e30\"}";
  }

  private static void assertMessage(String expected, String json) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> Credential.parseToken(token(json)));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void boundsTheTokenAndNesting() {
    assertThrows(
        MalformedMessageException.class,
        () -> Credential.parseToken("e".repeat(Credential.MAX_TOKEN_LENGTH + 4)));
    String deep = "{\"challenge\":" + "[".repeat(200) + "]".repeat(200) + ",\"payload\":{}}";
    assertThrows(MalformedMessageException.class, () -> Credential.parseToken(token(deep)));
  }

  @Test
  void acceptsTheLegacyObjectFormOfOpaque() throws Exception {
    Credential c =
        Credential.parseToken(
            token(
                "{\"challenge\":{\"id\":\"a\",\"realm\":\"r\",\"method\":\"m\",\"intent\":\"charge\","
                    + "\"request\":\"e30\",\"opaque\":{\"route\":\"/api/premium\"}},\"payload\":{}}"));
    assertEquals("eyJyb3V0ZSI6Ii9hcGkvcHJlbWl1bSJ9", c.challenge().opaque());
  }

  @Test
  void toStringNeverRevealsTheProof() {
    String s = CREDENTIAL.toString();
    assertFalse(s.contains("0xabc"));
    assertFalse(s.contains(CREDENTIAL.encoded()));
    assertTrue(s.contains("ch_1"));
  }

  @Test
  void sourceIsOptional() throws Exception {
    Credential c = Credential.parse(Credential.of(CHALLENGE, Map.of(), null).toHeaderValue());
    assertNull(c.source());
  }
}
