package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyDigestTest {
  private static final byte[] BODY = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void emitsTheRfc9530StructuredForm() {
    assertEquals(
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", BodyDigest.compute(BODY));
  }

  @Test
  void acceptsBothFormsWhenVerifying() {
    assertTrue(BodyDigest.matches("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", BODY));
    assertTrue(BodyDigest.matches("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", BODY));
    assertTrue(BodyDigest.matches("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE", BODY));
    assertTrue(BodyDigest.matches("SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", BODY));
  }

  @Test
  void rejectsOtherBodiesAlgorithmsAndGarbage() {
    assertFalse(
        BodyDigest.matches(BodyDigest.compute(BODY), "{}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(BodyDigest.matches("sha-512=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", BODY));
    assertFalse(BodyDigest.matches("sha-256=abc123def456", BODY));
    assertFalse(BodyDigest.matches("sha-256=:!!:", BODY));
    assertNull(BodyDigest.parse("sha-256=" + "A".repeat(200)));
  }
}
