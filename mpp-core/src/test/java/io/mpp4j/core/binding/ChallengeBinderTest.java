package io.mpp4j.core.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.PaymentRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC section 1.4: the HMAC input and ids, byte for byte. */
class ChallengeBinderTest {
  private static final String S1 = "test-vector-secret-minimum-32-byte-secret";
  private static final PaymentRequest AMOUNT = PaymentRequest.of(Map.of("amount", "1000000"));

  private static String input(
      PaymentRequest request, String expires, String digest, String header, String opaque) {
    return new String(
        ChallengeBinder.input(
            "api.example.com", "tempo", "charge", request, expires, digest, header, opaque),
        StandardCharsets.UTF_8);
  }

  @Test
  void buildsTheExactHmacInput() {
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0|||",
        input(AMOUNT, null, null, null, null));
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0|2025-01-06T12:00:00Z||",
        input(AMOUNT, "2025-01-06T12:00:00Z", null, null, null));
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0||sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE|",
        input(AMOUNT, null, "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE", null, null));
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0|||trace-123",
        input(AMOUNT, null, null, null, "trace-123"));
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0|||Payment-Authorization|",
        input(AMOUNT, null, null, "Payment-Authorization", null));
    assertEquals(
        "api.example.com|tempo|charge|eyJhbW91bnQiOiIxMDAwMDAwIn0|||",
        input(AMOUNT, null, null, "authorization", null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "{\"amount\":\"1000000\"};;;;;6QDs0BmhrI_v67iWeCMvGqQJEFQ6ErWKlk7zi5xL6t0",
        "{\"amount\":\"1000000\"};2025-01-06T12:00:00Z;;;;ZcHgfEi5_Qyda9NQwUzamsCgCcWXw6N6EH2NLyaSTlg",
        "{\"amount\":\"1000000\"};;sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE;;;vwnOtW2kwdujK9_uC_taI2e6Jwq86Jwogvq9m--i8eQ",
        "{\"amount\":\"1000000\"};2025-01-06T12:00:00Z;sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE;;;HSUJV7QH1E135PSDPlrZ5cLoozV3bv5T4vfVdS3Xyzk",
        "{\"amount\":\"1000000\"};;;;trace-123;1XJ-Ti0DACNe3E1zHvwH6OdnKlhUx6xKxDbhJyexng4",
        "{\"amount\":\"1000000\"};;;Payment-Authorization;;re8MIMJYpIJ0r_aiizscg6ghtipQM8IpOa_NtpwIU8E",
        "{\"amount\":\"1000\"};;;;eyJyb3V0ZSI6Ii9hcGkvcHJlbWl1bSJ9;qKB3Cm8efoWftvkRf43R5GxatYiXuZPxhs2kA3CvxGM",
        "{\"amount\":\"1000000\",\"currency\":\"0x1234\",\"methodDetails\":{\"chainId\":42431}};;;;;W8sYOWDDrcuRcku27vjJoqLX0uAnBmql7qAOuQwdmPo",
        "{\"amount\":\"1500\",\"currency\":\"USD\",\"description\":\"Access <premium> & analytics\",\"recipient\":\"merchant\"};;;;;iU2QdYw_u-prmGZWxm58jeBakeYE-ib_u77f9vcW76E",
        "{};;;;;SMpxo_gPWGquX9vAZ-b_OIPsHO3kfdY2s73946Mnwc0",
        "{\"amount\":\"5000\",\"currency\":\"USD\",\"methodDetails\":{\"chainId\":42431,\"feePayer\":true,\"maxFeePerGas\":\"1000000\"},\"recipient\":\"merchant\"};;;;;Z-51rg0Ds7Xd9FnWiXT3aOs4vyuScuZkxnk-BNRy8QE",
      })
  void matchesTheSpecVectors(
      String json, String expires, String digest, String header, String opaque, String id)
      throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> fields =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
    ChallengeBinder binder = ChallengeBinder.of(ChallengeSecret.of(S1));
    assertEquals(
        id,
        binder.computeId(
            "api.example.com",
            "tempo",
            "charge",
            PaymentRequest.of(fields),
            expires,
            digest,
            header,
            opaque));
  }

  @Test
  void fullVectorWithOtherSecretAndRealm() {
    PaymentRequest r =
        PaymentRequest.builder()
            .amount("10000000")
            .currency("0x20c0000000000000000000000000000000000001")
            .recipient("0x742d35Cc6634C0532925a3b844Bc9e7595f1B0F2")
            .description("API access fee")
            .externalId("order-12345")
            .build();
    assertEquals(
        "_pLIgk1zfLjIqa1aXziYSyyHZLQZQ1WXCBSa3-DK6_E",
        ChallengeBinder.of(ChallengeSecret.of("test-secret-abc123-minimum-32-byte-secret"))
            .computeId(
                "api.tempo.xyz",
                "tempo",
                "charge",
                r,
                "2026-02-01T00:00:00Z",
                "sha-256=abc123def456",
                null,
                null));
  }

  @Test
  void olderShortSecretVectorsStillComputeWithTheUnsafeFactory() {
    assertEquals(
        "X6v1eo7fJ76gAxqY0xN9Jd__4lUyDDYmriryOM-5FO4",
        ChallengeBinder.of(ChallengeSecret.unsafeOfAnyLength("test-vector-secret"))
            .computeId("api.example.com", "tempo", "charge", AMOUNT, null, null, null, null));
  }

  @Test
  void refusesSecretsShorterThan32Bytes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ChallengeSecret.of("short"));
    assertEquals("the challenge secret must be at least 32 bytes, but was 5 bytes", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChallengeSecret.of("x".repeat(31)));
    ChallengeSecret.of("x".repeat(32));
    assertThrows(IllegalArgumentException.class, () -> ChallengeSecret.unsafeOfAnyLength(""));
  }

  @Test
  void secretsNeverPrint() {
    ChallengeSecret s = ChallengeSecret.of(S1);
    assertFalse(s.toString().contains("secret-minimum"));
    assertEquals(8, s.fingerprint().length());
  }

  @Test
  void verifiesDescriptionIndependentlyAndRejectsTampering() {
    ChallengeBinder binder = ChallengeBinder.of(ChallengeSecret.of(S1));
    Challenge c =
        Challenge.builder()
            .id("pending")
            .realm("api.example.com")
            .method("tempo")
            .request(AMOUNT)
            .expires("2030-01-01T00:00:00Z")
            .build();
    Challenge signed = c.withId(binder.computeId(c));
    assertTrue(binder.verify(signed));
    assertTrue(
        binder.verify(
            new Challenge(
                signed.id(),
                signed.realm(),
                signed.method(),
                signed.intent(),
                signed.request(),
                signed.expires(),
                null,
                "any description",
                null,
                null)));
    assertFalse(binder.verify(signed.withId(signed.id().substring(1) + "A")));
    assertFalse(
        binder.verify(
            new Challenge(
                signed.id(),
                signed.realm(),
                signed.method(),
                signed.intent(),
                PaymentRequest.of(Map.of("amount", "1")),
                signed.expires(),
                null,
                null,
                null,
                null)));
    assertFalse(
        binder.verify(
            new Challenge(
                signed.id(),
                signed.realm(),
                signed.method(),
                signed.intent(),
                signed.request(),
                "2031-01-01T00:00:00Z",
                null,
                null,
                null,
                null)));
  }

  @Test
  void rotationIssuesWithCurrentAndAcceptsPrevious() {
    ChallengeSecret old = ChallengeSecret.of("old-secret-old-secret-old-secret-1");
    ChallengeSecret current = ChallengeSecret.of("new-secret-new-secret-new-secret-2");
    Challenge c = Challenge.builder().id("x").realm("r").method("tempo").request(AMOUNT).build();
    Challenge byOld = c.withId(ChallengeBinder.of(old).computeId(c));
    ChallengeBinder rotated = ChallengeBinder.of(current, List.of(old));
    assertTrue(rotated.verify(byOld));
    assertEquals(ChallengeBinder.of(current).computeId(c), rotated.computeId(c));
    assertFalse(ChallengeBinder.of(current).verify(byOld));
  }

  @Test
  void cachedPrefixStateGivesExactlyTheStandardHmac() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (String secretText :
        new String[] {
          S1, "k".repeat(64), "a-very-long-secret-".repeat(10), "é-unicode-secret-0123456789abcdef"
        }) {
      ChallengeSecret secret = ChallengeSecret.of(secretText);
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secretText.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      for (int i = 0; i < 200; i++) {
        PaymentRequest request =
            PaymentRequest.of(
                Map.of(
                    "amount",
                    Integer.toString(random.nextInt(1, 1000)),
                    "pad",
                    "x".repeat(random.nextInt(0, 150))));
        ChallengeBinder.Prefix prefix =
            new ChallengeBinder.Prefix("api.example.com", "tempo", "charge", request);
        byte[] rest =
            ChallengeBinder.rest("2030-01-01T00:00:00Z", null, null, "n" + random.nextInt());
        byte[] whole =
            ChallengeBinder.input(
                "api.example.com",
                "tempo",
                "charge",
                request,
                "2030-01-01T00:00:00Z",
                null,
                null,
                new String(rest, StandardCharsets.UTF_8).substring(22));
        assertEquals(
            java.util.HexFormat.of().formatHex(mac.doFinal(whole)),
            java.util.HexFormat.of().formatHex(secret.hmac(prefix, rest)));
        // Twice: the second call uses the cached prefix state.
        assertEquals(
            java.util.HexFormat.of().formatHex(mac.doFinal(whole)),
            java.util.HexFormat.of().formatHex(secret.hmac(prefix, rest)));
      }
    }
  }

  @Test
  void restIsTheUtf8OfThePipeJoinedSlots() {
    String[] values = {null, "", "2030-01-01T00:00:00Z", "é", "a|b", "\u2603 snow", "😀"};
    String[] headers = {null, "Authorization", "authorization", "Payment-Authorization", "é"};
    for (String expires : values) {
      for (String digest : values) {
        for (String header : headers) {
          for (String opaque : values) {
            boolean headerSlot = header != null && !header.equalsIgnoreCase("Authorization");
            String expected =
                (expires == null ? "" : expires)
                    + "|"
                    + (digest == null ? "" : digest)
                    + "|"
                    + (headerSlot ? header + "|" : "")
                    + (opaque == null ? "" : opaque);
            assertEquals(
                expected,
                new String(
                    ChallengeBinder.rest(expires, digest, header, opaque), StandardCharsets.UTF_8));
          }
        }
      }
    }
  }

  @Test
  void alternatingRoutesEachGetTheirOwnPrefixState() throws Exception {
    ChallengeSecret secret = ChallengeSecret.of(S1);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(S1.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    PaymentRequest other = PaymentRequest.of(Map.of("amount", "2"));
    byte[] rest = ChallengeBinder.rest("2030-01-01T00:00:00Z", null, null, "o");
    for (int i = 0; i < 6; i++) {
      // Equal requests built anew, then another route, then the first again: never a stale state.
      PaymentRequest request = i % 2 == 0 ? PaymentRequest.of(Map.of("amount", "1000000")) : other;
      String realm = i % 3 == 0 ? "api.example.com" : "other.example.com";
      byte[] whole =
          ChallengeBinder.input(
              realm, "tempo", "charge", request, "2030-01-01T00:00:00Z", null, null, "o");
      assertEquals(
          java.util.HexFormat.of().formatHex(mac.doFinal(whole)),
          java.util.HexFormat.of()
              .formatHex(
                  secret.hmac(
                      new ChallengeBinder.Prefix(realm, "tempo", "charge", request), rest)));
    }
  }
}
