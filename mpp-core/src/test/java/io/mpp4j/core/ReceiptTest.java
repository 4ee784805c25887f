package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptTest {
  @Test
  void successReceiptRoundTripsWithMillisecondTimestamp() throws Exception {
    Receipt r =
        Receipt.success("tempo", "0xabc", Instant.parse("2025-01-15T12:00:00Z"))
            .withExternalId("order-1")
            .with("challengeId", "ch_1");
    assertEquals("2025-01-15T12:00:00.000Z", r.timestamp());
    Receipt parsed = Receipt.parse(r.toHeaderValue());
    assertEquals(r, parsed);
    assertEquals(Map.of("challengeId", "ch_1"), parsed.extra());
    assertEquals(
        "{\"status\":\"success\",\"method\":\"tempo\",\"timestamp\":\"2025-01-15T12:00:00.000Z\","
            + "\"reference\":\"0xabc\",\"externalId\":\"order-1\",\"challengeId\":\"ch_1\"}",
        Base64Url.decodeToString(r.toHeaderValue()));
  }

  @Test
  void parsesTheSpecExample() throws Exception {
    Receipt r =
        Receipt.parse(
            Base64Url.encode(
                "{\"status\":\"success\",\"method\":\"invoice\",\"timestamp\":\"2025-01-15T12:00:00Z\",\"reference\":\"inv_12345\"}"));
    assertEquals("invoice", r.method());
    assertEquals("inv_12345", r.reference());
  }

  @Test
  void rejectsIncompleteReceipts() {
    for (String json :
        new String[] {
          "{\"timestamp\":\"2025-01-15T12:00:00Z\",\"reference\":\"r\"}",
          "{\"status\":\"success\",\"reference\":\"r\"}",
          "{\"status\":\"success\",\"timestamp\":\"yesterday\",\"reference\":\"r\"}",
          "{\"status\":\"success\",\"timestamp\":\"2025-01-15T12:00:00Z\",\"reference\":\"\"}",
          "{\"status\":1,\"timestamp\":\"2025-01-15T12:00:00Z\",\"reference\":\"r\"}",
          "[]",
        }) {
      assertThrows(
          MalformedMessageException.class, () -> Receipt.parse(Base64Url.encode(json)), json);
    }
    assertThrows(MalformedMessageException.class, () -> Receipt.parse("!!"));
  }

  @Test
  void extraCannotShadowCoreFields() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Receipt("success", "m", "2025-01-15T12:00:00Z", "r", null, Map.of("status", "x")));
  }
}
