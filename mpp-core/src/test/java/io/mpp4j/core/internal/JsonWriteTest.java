package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The fast path of {@link Json#write} on the documents mpp4j sends, and where it gives up. */
class JsonWriteTest {

  /** Writes {@code value} on the fast path and checks it against Jackson; returns the text. */
  private static String fast(@Nullable Object value) {
    byte[] fast = JsonWriter.tryWrite(value);
    assertNotNull(fast, () -> "fast path refused " + value);
    String text = new String(fast, StandardCharsets.UTF_8);
    assertEquals(new String(Json.writeWithJackson(value), StandardCharsets.UTF_8), text);
    assertEquals(text, new String(Json.write(value), StandardCharsets.UTF_8));
    return text;
  }

  /** Checks that the fast path refuses {@code value} and that write is Jackson's output. */
  private static void jackson(@Nullable Object value) {
    assertNull(JsonWriter.tryWrite(value), () -> "fast path took " + value);
    assertEquals(Arrays.toString(Json.writeWithJackson(value)), Arrays.toString(Json.write(value)));
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
    assertEquals(expected, fast(problem.toJsonMap()));
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
            .with("fee", fee) // frozen by the receipt: a FrozenMap
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
        fast(receipt.toJsonMap()));
  }

  @Test
  void scalarsAtTheRootAndEmptyContainers() {
    assertEquals("null", fast(null));
    assertEquals("true", fast(true));
    assertEquals("\"\"", fast(""));
    assertEquals("\"?/\"", fast("?/"));
    assertEquals("{}", fast(Map.of()));
    assertEquals("{}", fast(FrozenMap.EMPTY));
    assertEquals("[]", fast(List.of()));
    assertEquals("[{},[],null]", fast(Arrays.asList(Map.of(), List.of(), null)));
  }

  @Test
  void integerExtremes() {
    assertEquals("-9223372036854775808", fast(Long.MIN_VALUE));
    assertEquals("9223372036854775807", fast(Long.MAX_VALUE));
    assertEquals("-2147483648", fast(Integer.MIN_VALUE));
    assertEquals("[0,-1,9,10,-10,99,100]", fast(List.of(0, -1L, 9, 10L, -10, 99, 100)));
    assertEquals("[-32768,-128,127]", fast(List.of(Short.MIN_VALUE, Byte.MIN_VALUE, (byte) 127)));
    assertEquals("-12345678901234567890123", fast(new BigInteger("-12345678901234567890123")));
  }

  @Test
  void longStringsWithQuestionMarksAndEscapes() {
    // At 16 characters and more the word-at-a-time check runs first; '?' sends a string to the
    // character loop, which must still take it.
    assertEquals(
        "\"https://example.com/pay?id=42&x=1\"", fast("https://example.com/pay?id=42&x=1"));
    assertEquals("\"0123456789abcdef\\\"\"", fast("0123456789abcdef\""));
    assertEquals("\"\\\\0123456789abcdef\"", fast("\\0123456789abcdef"));
  }

  @Test
  void charactersJacksonEscapesOrEncodesGoToJackson() {
    for (String s :
        List.of("a\nb", "\u0000", "\u001f", "\u007f", "caf\u00e9", "\u2028", "\ud83d\ude00")) {
      jackson(s);
      jackson("0123456789abcdef" + s); // the long-string check, too
      jackson(Map.of("key", List.of("ok", s)));
      jackson(Map.of(s, 1)); // in a key
    }
    // U+013F and U+0122 have the low bytes of '?' and '"'; neither may pass for them.
    jackson("0123456789abcdef\u013f");
    jackson("0123456789abcdef\u0122");
  }

  @Test
  void loneSurrogatesGoToJackson() {
    // Jackson 2.18 writes a lone surrogate as an escape (upper-case hex) rather than failing.
    jackson("0123456789abcdef\ud800");
    jackson("\udc00");
    assertEquals("\"ab\\uDC00\"", new String(Json.write("ab\udc00"), StandardCharsets.UTF_8));
  }

  @Test
  void otherNumbersGoToJackson() {
    jackson(1.5);
    jackson(1.5f);
    jackson(Double.NaN);
    jackson(new BigDecimal("1.50"));
    jackson(new AtomicLong(7));
    jackson(List.of(1, 2.0));
    // A subclass of BigInteger may format itself differently; Jackson decides.
    jackson(
        new BigInteger("42") {
          @Override
          public String toString() {
            return "forty-two";
          }
        });
  }

  @Test
  void otherContainersAndKeysGoToJackson() {
    jackson(Set.of("a"));
    jackson('c');
    jackson(Map.of(1, "one"));
    Map<String, Object> nullKey = new LinkedHashMap<>();
    nullKey.put(null, 1);
    assertNull(JsonWriter.tryWrite(nullKey));
    assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
    // Classes of the application may carry Jackson annotations; these two carry none.
    jackson(new LinkedHashMap<String, Object>(Map.of("a", 1)) {});
    jackson(new ArrayList<Object>(List.of(1)) {});
  }

  @Test
  void nestingUpToMaxDepthIsFastAndDeeperGoesToJackson() {
    Object nested = "leaf";
    for (int i = 0; i < Json.MAX_DEPTH; i++) {
      nested = i % 2 == 0 ? List.of(nested) : Map.of("k", nested);
    }
    fast(nested);
    jackson(List.of(nested));
    jackson(Map.of("k", nested));
  }

  @Test
  void aTreeContainingItselfFailsAsJacksonFails() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    assertNull(JsonWriter.tryWrite(loop));
    assertThrows(IllegalArgumentException.class, () -> Json.write(loop));
    Map<String, Object> inUnmodifiable = new LinkedHashMap<>();
    inUnmodifiable.put("self", Collections.unmodifiableMap(inUnmodifiable));
    assertThrows(IllegalArgumentException.class, () -> Json.write(inUnmodifiable));
  }
}
