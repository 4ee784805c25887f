package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link Json#write} on the documents mpp4j sends, and on trees it cannot write. */
class JsonWriteTest {

  private static String write(@Nullable Object value) {
    return new String(Json.write(value), StandardCharsets.UTF_8);
  }

  @Test
  void problemBody() {
    Problem problem =
        Problem.of(
                ProblemType.VERIFICATION_FAILED,
                ReasonCode.CHALLENGE_ID_MISMATCH,
                "the \"id\" does not match C:\\path")
            .withChallengeId("Yz7Q_s9Lr2xWk0bq3T1uVg")
            .withHint("request a new challenge");
    String expected =
        "{\"type\":\"https://paymentauth.org/problems/verification-failed\","
            + "\"title\":\"Verification Failed\",\"status\":402,"
            + "\"detail\":\"the \\\"id\\\" does not match C:\\\\path\","
            + "\"challengeId\":\"Yz7Q_s9Lr2xWk0bq3T1uVg\","
            + "\"reason\":\"challenge_id_mismatch\","
            + "\"hint\":\"request a new challenge\"}";
    assertEquals(expected, write(problem.toJsonMap()));
    assertEquals(expected, new String(problem.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void receiptWithExtensionMembers() {
    Map<String, Object> fee = new LinkedHashMap<>();
    fee.put("amount", new BigInteger("1000000000000000000000"));
    fee.put("currency", "0x20c0000000000000000000000000000000000000");
    Receipt receipt =
        Receipt.success(
                "tempo",
                "0x5e3f9b1c2d4a6e8f0a1b3c5d7e9f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f",
                Instant.parse("2025-01-02T03:04:05.678Z"))
            .withExternalId("order-17")
            .with("blockNumber", 123456789L)
            .with("fee", fee) // frozen by the receipt
            .with("confirmed", true)
            .with("memo", null)
            .with("logs", List.of(1, (short) -2, (byte) 3));
    assertEquals(
        "{\"status\":\"success\",\"method\":\"tempo\",\"timestamp\":\"2025-01-02T03:04:05.678Z\","
            + "\"reference\":\"0x5e3f9b1c2d4a6e8f0a1b3c5d7e9f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f\","
            + "\"externalId\":\"order-17\",\"blockNumber\":123456789,"
            + "\"fee\":{\"amount\":1000000000000000000000,"
            + "\"currency\":\"0x20c0000000000000000000000000000000000000\"},"
            + "\"confirmed\":true,\"memo\":null,\"logs\":[1,-2,3]}",
        write(receipt.toJsonMap()));
  }

  @Test
  void scalarsAtTheRootAndEmptyContainers() {
    assertEquals("null", write(null));
    assertEquals("true", write(true));
    assertEquals("\"\"", write(""));
    assertEquals("\"?/\"", write("?/"));
    assertEquals("{}", write(Map.of()));
    assertEquals("{}", write(Json.freezeObject(Map.of())));
    assertEquals("[]", write(List.of()));
    assertEquals("[{},[],null]", write(Arrays.asList(Map.of(), List.of(), null)));
  }

  @Test
  void integerExtremes() {
    assertEquals("-9223372036854775808", write(Long.MIN_VALUE));
    assertEquals("9223372036854775807", write(Long.MAX_VALUE));
    assertEquals("-2147483648", write(Integer.MIN_VALUE));
    assertEquals("[0,-1,9,10,-10,99,100]", write(List.of(0, -1L, 9, 10L, -10, 99, 100)));
    assertEquals("[-32768,-128,127]", write(List.of(Short.MIN_VALUE, Byte.MIN_VALUE, (byte) 127)));
    assertEquals("-12345678901234567890123", write(new BigInteger("-12345678901234567890123")));
  }

  @Test
  void longStringsWithQuestionMarksAndEscapes() {
    // At 16 characters and more the word-at-a-time check runs first; '?' sends a string to the
    // character loop, which must still take it.
    assertEquals(
        "\"https://example.com/pay?id=42&x=1\"", write("https://example.com/pay?id=42&x=1"));
    assertEquals("\"0123456789abcdef\\\"\"", write("0123456789abcdef\""));
    assertEquals("\"\\\\0123456789abcdef\"", write("\\0123456789abcdef"));
  }

  @Test
  void loneSurrogatesAreEscaped() {
    // Jackson 2.18 writes a lone surrogate as an escape (upper-case hex) rather than failing.
    assertEquals("\"ab\\uDC00\"", new String(Json.write("ab\udc00"), StandardCharsets.UTF_8));
  }

  @Test
  void aNullKeyIsRefused() {
    Map<String, Object> nullKey = new LinkedHashMap<>();
    nullKey.put(null, 1);
    assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
  }

  @Test
  void aTreeContainingItselfFailsAsJacksonFails() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    assertThrows(IllegalArgumentException.class, () -> Json.write(loop));
    Map<String, Object> inUnmodifiable = new LinkedHashMap<>();
    inUnmodifiable.put("self", Collections.unmodifiableMap(inUnmodifiable));
    assertThrows(IllegalArgumentException.class, () -> Json.write(inUnmodifiable));
  }
}
